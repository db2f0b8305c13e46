package dev.gpuemu.igt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gpuemu.kernel.dmabuf.DmaFence;
import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.kernel.uapi.panthor.PanthorDrm;
import dev.gpuemu.machine.time.SimClock;
import dev.gpuemu.user.drm.DrmClient;
import dev.gpuemu.user.drm.UserMapping;
import dev.gpuemu.user.panthor.CsBuilder;
import dev.gpuemu.user.panthor.KernelDesc;
import dev.gpuemu.user.panthor.PanthorClient;
import dev.gpuemu.user.panthor.PanthorInfo.Bo;
import dev.gpuemu.user.panthor.PanthorInfo.GpuInfo;
import dev.gpuemu.user.panthor.PanthorOps.BindOp;
import dev.gpuemu.user.panthor.PanthorOps.GroupSpec;
import dev.gpuemu.user.panthor.PanthorOps.QueueSpec;
import dev.gpuemu.user.panthor.PanthorOps.QueueSubmit;
import dev.gpuemu.user.panthor.PanthorOps.SyncOp;
import java.util.List;
import java.util.Optional;

/// panthor (tyr) work through the panthor uAPI: one VM, one 1 MiB BO bound at [#VA] and mapped on
/// the CPU, one compute group. The exec check copies 4 KiB with a `RUN_COMPUTE` of the copy kernel
/// and waits for its syncobj; the spinner is a stream stuck in `SYNC_WAIT32` until the word at
/// [#FLAG] (written by the CPU through the mmap) is non-zero.
///
/// BO layout: `0x0` streams, `0x1000` kernel descriptor, `0x10000` SRC, `0x20000` DST, `0x50000`
/// the spinner's flag word.
final class PanthorWork implements DriverWork {
    static final long VA = 0x100_0000L;
    static final long BO_BYTES = 1 << 20;
    static final long DESC = 0x1000;
    static final long SRC = 0x10000;
    static final long DST = 0x20000;
    static final long FLAG = 0x50000;
    static final int COPY_BYTES = 4096;
    /// Simulated time the exec check may take before its wait fails with `ETIME` (not a hang).
    static final long EXEC_DEADLINE_NS = 5_000_000_000L;

    /// A client, VM, mapped BO and one-queue group on one file.
    private static final class Ctx implements AutoCloseable {
        final PanthorClient c;
        final Bo bo;
        final int group;
        final UserMapping cpu;

        Ctx(DrmClient drm) {
            c = PanthorClient.of(drm);
            GpuInfo info = c.gpuInfo();
            int vm = c.vmCreate(0).id();
            bo = c.boCreate(BO_BYTES, 0, 0);
            c.vmBind(vm, 0, List.of(BindOp.map(bo.handle(), 0, VA, bo.size(), 0)));
            group = c.groupCreate(GroupSpec.compute(vm, PanthorDrm.PANTHOR_GROUP_PRIORITY_MEDIUM,
                    info.shaderPresent(), info.tilerPresent(), List.of(new QueueSpec(0, 64 << 10))));
            cpu = c.mmapBo(bo);
        }

        /// Writes `b` at stream offset 0; the submit of it on queue 0.
        QueueSubmit stream(CsBuilder b, List<SyncOp> syncs) {
            b.writeTo(cpu, 0);
            return new QueueSubmit(0, VA, b.sizeBytes(), 0, syncs);
        }

        @Override
        public void close() {
            cpu.close();
            c.close();
        }
    }

    @Override
    public void execCheck(DrmClient drm, boolean render, Process proc, SimClock clock) {
        try (Ctx x = new Ctx(drm)) {
            for (int i = 0; i < COPY_BYTES; i += 8) {
                x.cpu.putLong(SRC + i, 0x5A5A_0000_0000_0000L + i);
            }
            KernelDesc.copy(VA + SRC, VA + DST, COPY_BYTES).writeTo(x.cpu, DESC);
            int done = x.c.syncobjCreate();
            x.c.groupSubmit(x.group, List.of(x.stream(new CsBuilder().move48(CsBuilder.SPD_BASE, VA + DESC)
                    .runCompute(0), List.of(SyncOp.signal(done)))));
            x.c.syncobjWait(done, clock.nowNs() + EXEC_DEADLINE_NS);
            for (int i = 0; i < COPY_BYTES; i += 8) {
                assertEquals(0x5A5A_0000_0000_0000L + i, x.cpu.getLong(DST + i), "panthor copy job result at " + i);
            }
            x.c.syncobjDestroy(done);
        }
    }

    @Override
    public Load load(DrmClient drm) {
        PanthorClient c = PanthorClient.of(drm);
        return new Load() {
            @Override
            public void gemCycle() {
                drm.gemClose(c.boCreate(4096, 0, 0).handle());
            }

            @Override
            public void close() {
                c.close();
            }
        };
    }

    @Override
    public Optional<Spinner> spinner(DrmClient drm, Process proc) {
        Ctx x = new Ctx(drm);
        x.cpu.putInt(FLAG, 0);
        int out = x.c.syncobjCreate();
        // ORDERING: the flag word is 0 in the BO before the submit; the CPU's later write is what
        // the GPU's SYNC_WAIT32 polls for.
        x.c.groupSubmit(x.group, List.of(x.stream(new CsBuilder().move48(10, VA + FLAG).move32(20, 0)
                .syncWait32(CsBuilder.COND_GREATER, 10, 20), List.of(SyncOp.signal(out)))));
        DmaFence fence = DriverWork.fenceOf(proc, drm, out);
        return Optional.of(new Spinner() {
            @Override
            public int syncobj() {
                return out;
            }

            @Override
            public DmaFence fence() {
                return fence;
            }

            @Override
            public boolean end() {
                x.cpu.putInt(FLAG, 1);
                return x.cpu.getInt(FLAG) == 1;
            }

            @Override
            public void close() {
                x.close();
            }
        });
    }
}
