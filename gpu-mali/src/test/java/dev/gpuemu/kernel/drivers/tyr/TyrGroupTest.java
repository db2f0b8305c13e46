package dev.gpuemu.kernel.drivers.tyr;

import static dev.gpuemu.kernel.drivers.tyr.TyrUser.errnoOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.kernel.dmabuf.DmaFence;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.panthor.PanthorDrm;
import dev.gpuemu.user.panthor.KernelDesc;
import dev.gpuemu.user.panthor.PanthorClient;
import dev.gpuemu.user.panthor.PanthorInfo.GroupState;
import dev.gpuemu.user.panthor.PanthorOps.QueueSubmit;
import dev.gpuemu.user.panthor.PanthorOps.SyncOp;
import java.util.List;
import org.junit.jupiter.api.Test;

/// `GROUP_CREATE` / `GROUP_SUBMIT` / `GROUP_GET_STATE` / `GROUP_DESTROY` end to end: a user
/// process with [PanthorClient] on `/dev/dri/renderD128`, the tyr driver with its scheduler, and
/// the real G610 with its CSF running the jobs. Data is checked through the BO's CPU mapping.
class TyrGroupTest {
    private static final long FILL_PATTERN = 0x5A5A_A5A5_0F0F_F0F0L;

    @Test
    void shouldRunACopyThenAFillJobAndShowTheBytesThroughMmap() throws Exception {
        try (TyrUser u = TyrUser.openCsf(); GpuJobs j = GpuJobs.create(u.client)) {
            PanthorClient c = u.client;
            j.writeSource();
            int s1 = c.syncobjCreate();
            int s2 = c.syncobjCreate();
            QueueSubmit copy = j.job(0, KernelDesc.copy(GpuJobs.VA + GpuJobs.SRC, GpuJobs.VA + GpuJobs.DST,
                    GpuJobs.DATA_BYTES), false, List.of(SyncOp.signal(s1)));
            QueueSubmit fill = j.job(1, KernelDesc.fill(GpuJobs.VA + GpuJobs.FILL, GpuJobs.DATA_BYTES, FILL_PATTERN),
                    false, List.of(SyncOp.signal(s2)));
            c.groupSubmit(j.group, List.of(copy, fill));
            c.syncobjWait(s2, Long.MAX_VALUE);
            c.syncobjWait(s1, Long.MAX_VALUE);
            assertEquals(-1, j.firstMismatch(GpuJobs.DST), "the copy landed");
            for (long off = 0; off < GpuJobs.DATA_BYTES; off += 8) {
                assertEquals(FILL_PATTERN, j.cpu.getLong(GpuJobs.FILL + off), "fill word at " + off);
            }
            assertEquals(0L, j.cpu.getLong(GpuJobs.FILL + GpuJobs.DATA_BYTES), "nothing past the fill");
            assertEquals(0, GpuJobs.fence(u, s1).error());
            assertEquals(0, GpuJobs.fence(u, s2).error());
            assertEquals(new GroupState(0, 0), c.groupGetState(j.group));
            // A second round on the same group: the ring keeps going.
            int s3 = c.syncobjCreate();
            j.cpu.fill(GpuJobs.DST, GpuJobs.DATA_BYTES, (byte) 0);
            c.groupSubmit(j.group, List.of(j.job(2, KernelDesc.copy(GpuJobs.VA + GpuJobs.SRC,
                    GpuJobs.VA + GpuJobs.DST, GpuJobs.DATA_BYTES), false, List.of(SyncOp.await(s2), SyncOp.signal(s3)))));
            c.syncobjWait(s3, Long.MAX_VALUE);
            assertEquals(-1, j.firstMismatch(GpuJobs.DST));
            c.groupDestroy(j.group);
            assertEquals(Errno.EINVAL, errnoOf(() -> c.groupGetState(j.group)), "destroyed");
        }
    }

    @Test
    void shouldFaultTheGroupOnAnUnmappedReadSignalTheFenceWithAnErrorAndLeaveTheDestination() throws Exception {
        try (TyrUser u = TyrUser.openCsf(); GpuJobs j = GpuJobs.create(u.client)) {
            PanthorClient c = u.client;
            j.writeSource();
            j.cpu.fill(GpuJobs.DST, GpuJobs.DATA_BYTES, (byte) 0x77);
            int s = c.syncobjCreate();
            c.groupSubmit(j.group, List.of(j.job(0, KernelDesc.copy(0x4000_0000L, GpuJobs.VA + GpuJobs.DST,
                    GpuJobs.DATA_BYTES), false, List.of(SyncOp.signal(s)))));
            c.syncobjWait(s, Long.MAX_VALUE); // the wait ends: the fence is signalled, with an error
            DmaFence f = GpuJobs.fence(u, s);
            assertTrue(f.isSignaled());
            assertEquals(-Errno.EINVAL.code(), f.error(), "panthor: -EINVAL on the faulting queue");
            GroupState st = c.groupGetState(j.group);
            assertEquals(PanthorDrm.DRM_PANTHOR_GROUP_STATE_FATAL_FAULT,
                    st.state() & PanthorDrm.DRM_PANTHOR_GROUP_STATE_FATAL_FAULT);
            assertEquals(1, st.fatalQueues(), "queue 0 faulted");
            for (long off = 0; off < GpuJobs.DATA_BYTES; off += 8) {
                assertEquals(0x7777_7777_7777_7777L, j.cpu.getLong(GpuJobs.DST + off), "destination untouched");
            }
            assertTrue(TyrRig.eventually(() -> c.vmGetState(j.vm) == PanthorDrm.DRM_PANTHOR_VM_STATE_UNUSABLE),
                    "the translation fault made the VM unusable");
            assertEquals(Errno.EINVAL, errnoOf(() -> c.groupSubmit(j.group, List.of(j.job(1,
                    KernelDesc.fill(GpuJobs.VA + GpuJobs.FILL, 4096, 1), false, List.of())))), "a faulted group refuses jobs");
            assertTrue(u.rig.log.stream().anyMatch(l -> l.contains("Unhandled Page fault")), u.rig.log::toString);
            c.groupDestroy(j.group);
        }
    }

    @Test
    void shouldFaultOnlyTheQueueThatRanAnInvalidInstruction() throws Exception {
        try (TyrUser u = TyrUser.openCsf(); GpuJobs j = GpuJobs.create(u.client, 2, 4096)) {
            PanthorClient c = u.client;
            int s = c.syncobjCreate();
            var bad = new dev.gpuemu.user.panthor.CsBuilder().emit((long) 5 << 56); // RUN_TILING: not modelled
            c.groupSubmit(j.group, List.of(j.stream(0, 1, bad, List.of(SyncOp.signal(s)))));
            c.syncobjWait(s, Long.MAX_VALUE);
            assertEquals(-Errno.EINVAL.code(), GpuJobs.fence(u, s).error());
            GroupState st = c.groupGetState(j.group);
            assertEquals(0b10, st.fatalQueues(), "queue 1 only");
            assertEquals(PanthorDrm.DRM_PANTHOR_VM_STATE_USABLE, c.vmGetState(j.vm), "no MMU fault");
        }
    }
}
