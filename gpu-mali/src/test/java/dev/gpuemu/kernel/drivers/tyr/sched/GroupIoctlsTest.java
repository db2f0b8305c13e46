package dev.gpuemu.kernel.drivers.tyr.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.dmabuf.DmaFence;
import dev.gpuemu.kernel.drm.syncobj.Syncobj;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.panthor.PanthorDrm;
import dev.gpuemu.kernel.uapi.panthor.PanthorGroup;
import dev.gpuemu.kernel.uapi.panthor.PanthorGroup.Create;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/// The GROUP_* ioctl bodies on the real device: good paths through to fences and syncobjs, and
/// panthor's errno for each bad input.
class GroupIoctlsTest {
    private static void errno(Errno want, Executable call) {
        KernelException e = assertThrows(KernelException.class, call);
        assertEquals(want, e.errno(), e.getMessage());
    }

    private static int create(SchedHarness h, UserMem u, MemorySegment a) throws KernelException {
        GroupIoctls.create(h, a, h.groups, u, false);
        return (int) Create.GROUP_HANDLE.get(a);
    }

    @Test
    void shouldCreateSubmitSignalSyncobjAndReportStateThenDestroy() throws KernelException {
        try (SchedHarness h = new SchedHarness(); UserMem u = new UserMem()) {
            int handle = create(h, u, u.groupCreate(SchedHarness.VM_ID, 1, new int[] {0, 4096}, new int[] {15, 65536}));
            assertEquals(1, handle);
            TyrGroup g = h.groups.get(handle);
            assertEquals(2, g.queues().size());
            assertEquals(65536, g.queues().get(1).ringSize());
            Syncobj out = new Syncobj();
            Syncobj in = new Syncobj();
            in.replaceFence(DmaFence.signaledStub(h.machine.kernel().clock()));
            h.syncobjs.put(5, out);
            h.syncobjs.put(6, in);
            long s = h.storeStream(0, 0x1000, 99);
            GroupIoctls.submit(h.sched, u.groupSubmit(handle, new UserMem.Job(1, s, 24,
                    List.of(UserMem.Op.await(6), UserMem.Op.signal(5)))), h.groups, h.syncobjs::get, u);
            assertNotNull(out.fence(), "the signal op attached the job's fence");
            assertTrue(out.fence().await(1_000_000_000L));
            assertEquals(99, h.user.read32(0x1000));
            DmaFence jobFence = out.fence();
            // An empty stream is a sync point: it hands out the queue's last fence.
            Syncobj point = new Syncobj();
            h.syncobjs.put(7, point);
            GroupIoctls.submit(h.sched, u.groupSubmit(handle, new UserMem.Job(1, 0, 0, List.of(UserMem.Op.signal(7)))),
                    h.groups, h.syncobjs::get, u);
            assertSame(jobFence, point.fence());
            MemorySegment st = u.arena.allocate(PanthorGroup.GetState.LAYOUT);
            PanthorGroup.GetState.GROUP_HANDLE.set(st, handle);
            GroupIoctls.getState(st, h.groups);
            assertEquals(0, (int) PanthorGroup.GetState.STATE.get(st));
            MemorySegment d = u.arena.allocate(PanthorGroup.Destroy.LAYOUT);
            PanthorGroup.Destroy.GROUP_HANDLE.set(d, handle);
            GroupIoctls.destroy(h, d, h.groups);
            assertNull(h.groups.get(handle));
            errno(Errno.EINVAL, () -> GroupIoctls.destroy(h, d, h.groups));
            errno(Errno.EINVAL, () -> GroupIoctls.getState(st, h.groups));
        }
    }

    @Test
    void shouldReportFatalFaultInGetStateAndRefuseSubmitWithEinval() throws KernelException {
        try (SchedHarness h = new SchedHarness(); UserMem u = new UserMem()) {
            int handle = create(h, u, u.groupCreate(SchedHarness.VM_ID, 0, new int[] {0, 4096}));
            Syncobj out = new Syncobj();
            h.syncobjs.put(1, out);
            long bad = h.stream(0, SchedHarness.invalid());
            GroupIoctls.submit(h.sched, u.groupSubmit(handle, new UserMem.Job(0, bad, 8, List.of(UserMem.Op.signal(1)))),
                    h.groups, h.syncobjs::get, u);
            assertTrue(out.fence().await(30_000_000_000L));
            assertEquals(-Errno.EINVAL.code(), out.fence().error());
            MemorySegment st = u.arena.allocate(PanthorGroup.GetState.LAYOUT);
            PanthorGroup.GetState.GROUP_HANDLE.set(st, handle);
            GroupIoctls.getState(st, h.groups);
            assertEquals(PanthorDrm.DRM_PANTHOR_GROUP_STATE_FATAL_FAULT, (int) PanthorGroup.GetState.STATE.get(st));
            assertEquals(1, (int) PanthorGroup.GetState.FATAL_QUEUES.get(st));
            long good = h.storeStream(0x40, 0x1000, 1);
            errno(Errno.EINVAL, () -> GroupIoctls.submit(h.sched, u.groupSubmit(handle,
                    new UserMem.Job(0, good, 24, List.of())), h.groups, h.syncobjs::get, u));
        }
    }

    @Test
    void shouldRejectBadGroupCreateArgumentsWithPanthorErrnos() throws KernelException {
        try (SchedHarness h = new SchedHarness(); UserMem u = new UserMem()) {
            int[] ok = {0, 4096};
            errno(Errno.EINVAL, () -> create(h, u, u.groupCreate(SchedHarness.VM_ID, 0)));
            errno(Errno.EINVAL, () -> create(h, u, u.groupCreate(SchedHarness.VM_ID, 0, ok, ok, ok, ok, ok, ok, ok, ok, ok)));
            errno(Errno.EINVAL, () -> create(h, u, u.groupCreate(SchedHarness.VM_ID, 4, ok)));
            errno(Errno.EACCES, () -> create(h, u, u.groupCreate(SchedHarness.VM_ID, 2, ok)));
            errno(Errno.EINVAL, () -> create(h, u, u.groupCreate(99, 0, ok)));
            errno(Errno.EINVAL, () -> create(h, u, u.groupCreate(SchedHarness.VM_ID, 0, new int[] {16, 4096})));
            errno(Errno.EINVAL, () -> create(h, u, u.groupCreate(SchedHarness.VM_ID, 0, new int[] {0, 2048})));
            errno(Errno.EINVAL, () -> create(h, u, u.groupCreate(SchedHarness.VM_ID, 0, new int[] {0, 12288})));
            errno(Errno.EINVAL, () -> create(h, u, u.groupCreate(SchedHarness.VM_ID, 0, new int[] {0, 131072})));
            MemorySegment pad = u.groupCreate(SchedHarness.VM_ID, 0, ok);
            Create.PAD.set(pad, 1);
            errno(Errno.EINVAL, () -> create(h, u, pad));
            MemorySegment mask = u.groupCreate(SchedHarness.VM_ID, 0, ok);
            Create.COMPUTE_CORE_MASK.set(mask, 0x2L); // core 1 is not present (0x50005)
            errno(Errno.EINVAL, () -> create(h, u, mask));
            MemorySegment cores = u.groupCreate(SchedHarness.VM_ID, 0, ok);
            Create.MAX_COMPUTE_CORES.set(cores, (byte) 2);
            errno(Errno.EINVAL, () -> create(h, u, cores));
            MemorySegment qpad = u.groupCreate(SchedHarness.VM_ID, 0, ok);
            u.at((long) Create.QUEUES_ARRAY.get(qpad) + 1, 1).set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 1);
            errno(Errno.EINVAL, () -> create(h, u, qpad));
            MemorySegment stride = u.groupCreate(SchedHarness.VM_ID, 0, ok);
            Create.QUEUES_STRIDE.set(stride, 4);
            errno(Errno.EINVAL, () -> create(h, u, stride));
            MemorySegment fault = u.groupCreate(SchedHarness.VM_ID, 0, ok);
            Create.QUEUES_ARRAY.set(fault, 0x10L);
            errno(Errno.EFAULT, () -> create(h, u, fault));
            assertEquals(0, h.groups.size(), "no failed create left a group");
            u.capable = true;
            assertEquals(1, create(h, u, u.groupCreate(SchedHarness.VM_ID, 3, ok)), "REALTIME with CAP_SYS_NICE");
            MemorySegment master = u.groupCreate(SchedHarness.VM_ID, 2, ok);
            u.capable = false;
            GroupIoctls.create(h, master, h.groups, u, true);
            assertEquals(2, (int) Create.GROUP_HANDLE.get(master), "HIGH for the DRM master");
        }
    }

    @Test
    void shouldRejectBadSubmitsBeforeQueueingAnyJob() throws KernelException {
        try (SchedHarness h = new SchedHarness(); UserMem u = new UserMem()) {
            int handle = create(h, u, u.groupCreate(SchedHarness.VM_ID, 0, new int[] {0, 4096}));
            TyrGroup g = h.groups.get(handle);
            h.syncobjs.put(1, new Syncobj()); // no fence
            long s = h.storeStream(0, 0x1000, 5);
            UserMem.Job good = new UserMem.Job(0, s, 24, List.of());
            SyncobjTable objs = h.syncobjs::get;
            errno(Errno.EINVAL, () -> GroupIoctls.submit(h.sched, u.groupSubmit(77, good), h.groups, objs, u));
            errno(Errno.EINVAL, () -> GroupIoctls.submit(h.sched, u.groupSubmit(handle, good,
                    new UserMem.Job(1, s, 24, List.of())), h.groups, objs, u));
            errno(Errno.EINVAL, () -> GroupIoctls.submit(h.sched, u.groupSubmit(handle, good,
                    new UserMem.Job(0, s + 8, 24, List.of())), h.groups, objs, u));
            errno(Errno.EINVAL, () -> GroupIoctls.submit(h.sched, u.groupSubmit(handle,
                    new UserMem.Job(0, s, 20, List.of())), h.groups, objs, u));
            errno(Errno.EINVAL, () -> GroupIoctls.submit(h.sched, u.groupSubmit(handle,
                    new UserMem.Job(0, 0, 24, List.of())), h.groups, objs, u));
            errno(Errno.ENOENT, () -> GroupIoctls.submit(h.sched, u.groupSubmit(handle,
                    new UserMem.Job(0, s, 24, List.of(UserMem.Op.await(9)))), h.groups, objs, u));
            errno(Errno.EINVAL, () -> GroupIoctls.submit(h.sched, u.groupSubmit(handle,
                    new UserMem.Job(0, s, 24, List.of(UserMem.Op.await(1)))), h.groups, objs, u));
            errno(Errno.EINVAL, () -> GroupIoctls.submit(h.sched, u.groupSubmit(handle,
                    new UserMem.Job(0, s, 24, List.of(UserMem.Op.signal(9)))), h.groups, objs, u));
            errno(Errno.EINVAL, () -> GroupIoctls.submit(h.sched, u.groupSubmit(handle,
                    new UserMem.Job(0, s, 24, List.of(new UserMem.Op(0x100, 1)))), h.groups, objs, u));
            errno(Errno.EINVAL, () -> GroupIoctls.submit(h.sched, u.groupSubmit(handle,
                    new UserMem.Job(0, s, 24, List.of(new UserMem.Op(2, 1)))), h.groups, objs, u));
            MemorySegment pad = u.groupSubmit(handle, good);
            PanthorGroup.Submit.PAD.set(pad, 1);
            errno(Errno.EINVAL, () -> GroupIoctls.submit(h.sched, pad, h.groups, objs, u));
            MemorySegment qpad = u.groupSubmit(handle, good);
            u.at((long) PanthorGroup.Submit.QUEUE_SUBMITS_ARRAY.get(qpad) + 20, 4)
                    .set(java.lang.foreign.ValueLayout.JAVA_INT, 0, 1);
            errno(Errno.EINVAL, () -> GroupIoctls.submit(h.sched, qpad, h.groups, objs, u));
            MemorySegment flush = u.groupSubmit(handle, good);
            u.at((long) PanthorGroup.Submit.QUEUE_SUBMITS_ARRAY.get(flush) + 16, 4)
                    .set(java.lang.foreign.ValueLayout.JAVA_INT, 0, 1 << 24);
            errno(Errno.EINVAL, () -> GroupIoctls.submit(h.sched, flush, h.groups, objs, u));
            assertEquals(0, g.queues().get(0).insert, "no rejected submit wrote the ring");
            assertEquals(0, h.sched.jobsInFlight(g));
        }
    }
}
