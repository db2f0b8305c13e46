package dev.gpuemu.kernel.drivers.tyr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.panthor.PanthorDrm;
import dev.gpuemu.kernel.uapi.panthor.PanthorGroup;
import dev.gpuemu.kernel.uapi.UserMemory;
import dev.gpuemu.user.panthor.PanthorInfo.GpuInfo;
import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/// Every bad argument of the four `GROUP_*` ioctls, sent raw from a user process through
/// `/dev/dri/renderD128`, answers panthor's errno; a good call after each proves the
/// arguments were otherwise right.
class TyrGroupErrnoTest {
    /// Where the queue_create / queue_submit arrays live in the user's scratch page.
    private static final long ARRAY = 0;
    /// Where the sync ops live.
    private static final long SYNCS = 0x800;
    private static final long UNMAPPED = 0x7000_0000_0000L;

    /// `cmd` with the struct size field set to `size` (a short or long user struct).
    private static int withSize(int cmd, int size) {
        return cmd & ~(0x3FFF << 16) | size << 16;
    }

    private static UserMemory mem(TyrUser u) {
        return u.proc.memory();
    }

    /// A valid GROUP_CREATE for VM `vm`: one queue (priority 0, 4 KiB ring) in the scratch page.
    private static MemorySegment create(TyrUser u, int vm, GpuInfo info) {
        mem(u).putInt(u.scratch + ARRAY, 0); // priority 0, pad 0
        mem(u).putInt(u.scratch + ARRAY + 4, 4096);
        MemorySegment a = u.arg(PanthorGroup.Create.LAYOUT);
        PanthorGroup.Create.QUEUES_STRIDE.set(a, 8);
        PanthorGroup.Create.QUEUES_COUNT.set(a, 1);
        PanthorGroup.Create.QUEUES_ARRAY.set(a, u.scratch + ARRAY);
        PanthorGroup.Create.MAX_COMPUTE_CORES.set(a, (byte) Long.bitCount(info.shaderPresent()));
        PanthorGroup.Create.MAX_FRAGMENT_CORES.set(a, (byte) 1);
        PanthorGroup.Create.MAX_TILER_CORES.set(a, (byte) 1);
        PanthorGroup.Create.PRIORITY.set(a, (byte) PanthorDrm.PANTHOR_GROUP_PRIORITY_MEDIUM);
        PanthorGroup.Create.COMPUTE_CORE_MASK.set(a, info.shaderPresent());
        PanthorGroup.Create.FRAGMENT_CORE_MASK.set(a, info.shaderPresent());
        PanthorGroup.Create.TILER_CORE_MASK.set(a, info.tilerPresent());
        PanthorGroup.Create.VM_ID.set(a, vm);
        return a;
    }

    private static void badCreate(TyrUser u, int vm, Errno want, String what, Consumer<MemorySegment> spoil) {
        MemorySegment a = create(u, vm, u.client.gpuInfo());
        spoil.accept(a);
        assertEquals(want.negative(), u.ioctl(PanthorDrm.GROUP_CREATE, a), what);
    }

    @Test
    void shouldAnswerPanthorsErrnoForEveryBadGroupCreate() throws Exception {
        try (TyrUser u = TyrUser.openCsf()) {
            GpuInfo info = u.client.gpuInfo();
            int vm = u.client.vmCreate(0).id();
            int cs = u.client.csifInfo().csSlotCount();
            badCreate(u, vm, Errno.EINVAL, "unknown vm_id", a -> PanthorGroup.Create.VM_ID.set(a, vm + 7));
            badCreate(u, vm, Errno.EINVAL, "vm_id 0", a -> PanthorGroup.Create.VM_ID.set(a, 0));
            badCreate(u, vm, Errno.EINVAL, "pad", a -> PanthorGroup.Create.PAD.set(a, 1));
            badCreate(u, vm, Errno.EINVAL, "no queue", a -> PanthorGroup.Create.QUEUES_COUNT.set(a, 0));
            badCreate(u, vm, Errno.EINVAL, "more queues than CS slots", a -> PanthorGroup.Create.QUEUES_COUNT.set(a, cs + 1));
            badCreate(u, vm, Errno.EINVAL, "priority beyond REALTIME", a -> PanthorGroup.Create.PRIORITY.set(a, (byte) 4));
            badCreate(u, vm, Errno.EACCES, "HIGH without CAP_SYS_NICE",
                    a -> PanthorGroup.Create.PRIORITY.set(a, (byte) PanthorDrm.PANTHOR_GROUP_PRIORITY_HIGH));
            badCreate(u, vm, Errno.EINVAL, "core outside SHADER_PRESENT",
                    a -> PanthorGroup.Create.COMPUTE_CORE_MASK.set(a, info.shaderPresent() | 1L << 40));
            badCreate(u, vm, Errno.EINVAL, "more cores asked than the mask has",
                    a -> PanthorGroup.Create.MAX_COMPUTE_CORES.set(a, (byte) 5));
            badCreate(u, vm, Errno.EINVAL, "stride below the v1 struct",
                    a -> PanthorGroup.Create.QUEUES_STRIDE.set(a, 4));
            badCreate(u, vm, Errno.EFAULT, "queues array unmapped",
                    a -> PanthorGroup.Create.QUEUES_ARRAY.set(a, UNMAPPED));
            badCreate(u, vm, Errno.EINVAL, "ring not a power of two",
                    a -> mem(u).putInt(u.scratch + ARRAY + 4, 3 * 4096));
            badCreate(u, vm, Errno.EINVAL, "ring above 64 KiB",
                    a -> mem(u).putInt(u.scratch + ARRAY + 4, 128 << 10));
            badCreate(u, vm, Errno.EINVAL, "queue priority above 15", a -> mem(u).putByte(u.scratch + ARRAY, (byte) 16));
            badCreate(u, vm, Errno.EINVAL, "queue_create pad", a -> mem(u).putByte(u.scratch + ARRAY + 2, (byte) 1));
            // A short struct (the first 24 bytes): the core masks are zero-extended, so the
            // max_*_cores asked for cannot be met.
            assertEquals(Errno.EINVAL.negative(),
                    u.ioctl(withSize(PanthorDrm.GROUP_CREATE, 24), create(u, vm, info)), "short struct");
            MemorySegment good = create(u, vm, info);
            assertEquals(0, u.ioctl(PanthorDrm.GROUP_CREATE, good), "the base arguments are good");
            assertEquals(1, (int) PanthorGroup.Create.GROUP_HANDLE.get(good));
        }
    }

    @Test
    void shouldAnswerEinvalForUnknownHandlesAndPadsOfDestroyAndGetState() throws Exception {
        try (TyrUser u = TyrUser.openCsf()) {
            int vm = u.client.vmCreate(0).id();
            MemorySegment c = create(u, vm, u.client.gpuInfo());
            assertEquals(0, u.ioctl(PanthorDrm.GROUP_CREATE, c));
            int g = (int) PanthorGroup.Create.GROUP_HANDLE.get(c);

            MemorySegment st = u.arg(PanthorGroup.GetState.LAYOUT);
            PanthorGroup.GetState.GROUP_HANDLE.set(st, g + 1);
            u.expect(Errno.EINVAL, PanthorDrm.GROUP_GET_STATE, st);
            PanthorGroup.GetState.GROUP_HANDLE.set(st, g);
            PanthorGroup.GetState.PAD.set(st, 1);
            u.expect(Errno.EINVAL, PanthorDrm.GROUP_GET_STATE, st);
            PanthorGroup.GetState.PAD.set(st, 0);
            PanthorGroup.GetState.STATE.set(st, -1);
            assertEquals(0, u.ioctl(PanthorDrm.GROUP_GET_STATE, st));
            assertEquals(0, (int) PanthorGroup.GetState.STATE.get(st), "state written back");

            MemorySegment d = u.arg(PanthorGroup.Destroy.LAYOUT);
            PanthorGroup.Destroy.GROUP_HANDLE.set(d, g);
            PanthorGroup.Destroy.PAD.set(d, 1);
            u.expect(Errno.EINVAL, PanthorDrm.GROUP_DESTROY, d);
            assertEquals(Errno.EINVAL.negative(), u.ioctl(withSize(PanthorDrm.GROUP_DESTROY, 0), d),
                    "a zero-size struct reads as handle 0");
            PanthorGroup.Destroy.PAD.set(d, 0);
            assertEquals(0, u.ioctl(PanthorDrm.GROUP_DESTROY, d));
            u.expect(Errno.EINVAL, PanthorDrm.GROUP_DESTROY, d);
            PanthorGroup.GetState.GROUP_HANDLE.set(st, g);
            u.expect(Errno.EINVAL, PanthorDrm.GROUP_GET_STATE, st);
        }
    }

    /// A GROUP_SUBMIT of one queue_submit (queue 0, a 64-byte-aligned stream of 8 bytes in the
    /// BO, the sync ops at `SYNCS`).
    private static MemorySegment submit(TyrUser u, int group, long stream, int syncs) {
        long q = u.scratch + ARRAY;
        mem(u).fill(q, PanthorGroup.QueueSubmit.LAYOUT.byteSize(), (byte) 0);
        mem(u).putInt(q, 0); // queue_index
        mem(u).putInt(q + 4, 8); // stream_size
        mem(u).putLong(q + 8, stream); // stream_addr
        mem(u).putInt(q + 16, 0); // latest_flush
        mem(u).putInt(q + 20, 0); // pad
        mem(u).putInt(q + 24, 16); // syncs.stride
        mem(u).putInt(q + 28, syncs); // syncs.count
        mem(u).putLong(q + 32, u.scratch + SYNCS); // syncs.array
        MemorySegment a = u.arg(PanthorGroup.Submit.LAYOUT);
        PanthorGroup.Submit.GROUP_HANDLE.set(a, group);
        PanthorGroup.Submit.QUEUE_SUBMITS_STRIDE.set(a, (int) PanthorGroup.QueueSubmit.LAYOUT.byteSize());
        PanthorGroup.Submit.QUEUE_SUBMITS_COUNT.set(a, 1);
        PanthorGroup.Submit.QUEUE_SUBMITS_ARRAY.set(a, q);
        return a;
    }

    private static void syncOp(TyrUser u, int i, int flags, int handle, long point) {
        long o = u.scratch + SYNCS + 16L * i;
        mem(u).putInt(o, flags);
        mem(u).putInt(o + 4, handle);
        mem(u).putLong(o + 8, point);
    }

    @Test
    void shouldAnswerPanthorsErrnoForEveryBadGroupSubmit() throws Exception {
        try (TyrUser u = TyrUser.openCsf(); GpuJobs j = GpuJobs.create(u.client, 1, 4096)) {
            j.cpu.putLong(GpuJobs.STREAMS, 0); // NOP
            long stream = GpuJobs.VA + GpuJobs.STREAMS;
            int out = u.client.syncobjCreate();
            int none = u.client.syncobjCreate(); // no fence yet
            long q = u.scratch + ARRAY;
            int signal = PanthorDrm.DRM_PANTHOR_SYNC_OP_SIGNAL | PanthorDrm.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ;

            u.expect(Errno.EINVAL, PanthorDrm.GROUP_SUBMIT, submit(u, j.group + 1, stream, 0));
            MemorySegment a = submit(u, j.group, stream, 0);
            PanthorGroup.Submit.PAD.set(a, 1);
            u.expect(Errno.EINVAL, PanthorDrm.GROUP_SUBMIT, a);
            a = submit(u, j.group, stream + 8, 0);
            u.expect(Errno.EINVAL, PanthorDrm.GROUP_SUBMIT, a); // stream_addr not 64-byte aligned
            a = submit(u, j.group, stream, 0);
            mem(u).putInt(q + 4, 12);
            u.expect(Errno.EINVAL, PanthorDrm.GROUP_SUBMIT, a); // stream_size not 8-byte aligned
            a = submit(u, j.group, stream, 0);
            mem(u).putInt(q + 4, 0);
            u.expect(Errno.EINVAL, PanthorDrm.GROUP_SUBMIT, a); // size 0 with an address
            a = submit(u, j.group, stream, 0);
            mem(u).putInt(q, 1);
            u.expect(Errno.EINVAL, PanthorDrm.GROUP_SUBMIT, a); // queue 1 of a one-queue group
            a = submit(u, j.group, stream, 0);
            mem(u).putInt(q + 20, 1);
            u.expect(Errno.EINVAL, PanthorDrm.GROUP_SUBMIT, a); // queue_submit pad
            a = submit(u, j.group, stream, 0);
            mem(u).putInt(q + 16, 1 << 24);
            u.expect(Errno.EINVAL, PanthorDrm.GROUP_SUBMIT, a); // latest_flush bits 24..30
            a = submit(u, j.group, stream, 0);
            PanthorGroup.Submit.QUEUE_SUBMITS_ARRAY.set(a, UNMAPPED);
            u.expect(Errno.EFAULT, PanthorDrm.GROUP_SUBMIT, a);
            a = submit(u, j.group, stream, 0);
            PanthorGroup.Submit.QUEUE_SUBMITS_STRIDE.set(a, 16);
            u.expect(Errno.EINVAL, PanthorDrm.GROUP_SUBMIT, a); // stride below the v1 struct
            // Counts are u32: past INT_MAX (found by PanthorIoctlFuzzTest) or too large for
            // kvmalloc, the array allocation fails.
            a = submit(u, j.group, stream, 0);
            PanthorGroup.Submit.QUEUE_SUBMITS_COUNT.set(a, 0x8000_0000);
            u.expect(Errno.ENOMEM, PanthorDrm.GROUP_SUBMIT, a);
            a = submit(u, j.group, stream, 0);
            PanthorGroup.Submit.QUEUE_SUBMITS_COUNT.set(a, -1);
            PanthorGroup.Submit.QUEUE_SUBMITS_STRIDE.set(a, -1);
            u.expect(Errno.ENOMEM, PanthorDrm.GROUP_SUBMIT, a);
            a = submit(u, j.group, stream, 0);
            mem(u).putInt(q + 28, -3); // syncs.count
            u.expect(Errno.ENOMEM, PanthorDrm.GROUP_SUBMIT, a);

            syncOp(u, 0, signal | 1 << 8, out, 0);
            u.expect(Errno.EINVAL, PanthorDrm.GROUP_SUBMIT, submit(u, j.group, stream, 1)); // unknown flag
            syncOp(u, 0, signal, out, 5);
            u.expect(Errno.EINVAL, PanthorDrm.GROUP_SUBMIT, submit(u, j.group, stream, 1)); // point on binary
            syncOp(u, 0, signal, out + 100, 0);
            u.expect(Errno.EINVAL, PanthorDrm.GROUP_SUBMIT, submit(u, j.group, stream, 1)); // signal unknown
            syncOp(u, 0, PanthorDrm.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ, out + 100, 0);
            u.expect(Errno.ENOENT, PanthorDrm.GROUP_SUBMIT, submit(u, j.group, stream, 1)); // wait unknown
            syncOp(u, 0, PanthorDrm.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ, none, 0);
            u.expect(Errno.EINVAL, PanthorDrm.GROUP_SUBMIT, submit(u, j.group, stream, 1)); // wait, no fence
            a = submit(u, j.group, stream, 1);
            syncOp(u, 0, signal, out, 0);
            // A short struct without the queue_submits array is an empty submit (panthor loops over
            // zero jobs and answers 0): nothing queued, nothing signalled.
            assertEquals(0, u.ioctl(withSize(PanthorDrm.GROUP_SUBMIT, 8), a));
            assertEquals(null, GpuJobs.fence(u, out), "nothing was queued");
            assertEquals(0, u.ioctl(PanthorDrm.GROUP_SUBMIT, a), "the base arguments are good");
            u.client.syncobjWait(out, Long.MAX_VALUE);
            assertEquals(0, GpuJobs.fence(u, out).error());
        }
    }
}
