package dev.gpuemu.kernel.drivers.tyr;

import dev.gpuemu.kernel.dmabuf.DmaFence;
import dev.gpuemu.kernel.drm.DrmFile;
import dev.gpuemu.kernel.vfs.KFile;
import dev.gpuemu.kernel.uapi.panthor.PanthorDrm;
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

/// One user VM with one 1 MiB BO bound at [#VA] and mapped on the CPU, and a one-queue compute
/// group on it, built through the uAPI as panvk would; helpers write kernel descriptors and
/// streams into the BO and submit them.
///
/// BO layout: `0x0` streams (64-byte slots), `0x1000` kernel descriptors (64-byte slots),
/// `0x10000` SRC (64 KiB), `0x20000` DST (64 KiB), `0x30000` FILL (64 KiB), `0x40000` timestamps.
///
/// ## Lifecycle
/// [#create] → [#close] once (unmaps the BO; the group and VM go with the file).
final class GpuJobs implements AutoCloseable {
    static final long VA = 0x100_0000L;
    static final long BO_BYTES = 1 << 20;
    static final long STREAMS = 0;
    static final long DESCS = 0x1000;
    static final long SRC = 0x10000;
    static final long DST = 0x20000;
    static final long FILL = 0x30000;
    static final long STAMPS = 0x40000;
    static final int DATA_BYTES = 64 << 10;

    final PanthorClient client;
    final int vm;
    final Bo bo;
    final int group;
    final UserMapping cpu;

    private GpuJobs(PanthorClient c, int queues, int ringSize) {
        client = c;
        GpuInfo info = c.gpuInfo();
        vm = c.vmCreate(0).id();
        bo = c.boCreate(BO_BYTES, 0, 0);
        c.vmBind(vm, 0, List.of(BindOp.map(bo.handle(), 0, VA, bo.size(), 0)));
        QueueSpec[] qs = new QueueSpec[queues];
        java.util.Arrays.fill(qs, new QueueSpec(0, ringSize));
        group = c.groupCreate(GroupSpec.compute(vm, PanthorDrm.PANTHOR_GROUP_PRIORITY_MEDIUM, info.shaderPresent(),
                info.tilerPresent(), List.of(qs)));
        cpu = c.mmapBo(bo);
    }

    static GpuJobs create(PanthorClient c) {
        return new GpuJobs(c, 1, 64 << 10);
    }

    static GpuJobs create(PanthorClient c, int queues, int ringSize) {
        return new GpuJobs(c, queues, ringSize);
    }

    /// Writes `desc` into descriptor slot `slot` and a stream running it into stream slot `slot`
    /// (bracketed by GPU timestamps at `STAMPS + 16 slot` when `stamps`); returns the submit.
    QueueSubmit job(int slot, KernelDesc desc, boolean stamps, List<SyncOp> syncs) {
        long d = DESCS + 64L * slot;
        desc.writeTo(cpu, d);
        CsBuilder b = new CsBuilder();
        if (stamps) {
            b.move48(30, VA + STAMPS + 16L * slot).storeState(30, 0, CsBuilder.STATE_TIMESTAMP);
        }
        b.move48(CsBuilder.SPD_BASE, VA + d).runCompute(0);
        if (stamps) {
            b.storeState(30, 8, CsBuilder.STATE_TIMESTAMP);
        }
        long s = STREAMS + 64L * slot;
        if (b.sizeBytes() > 64) {
            throw new IllegalArgumentException("stream slot overflow");
        }
        b.writeTo(cpu, s);
        return new QueueSubmit(0, VA + s, b.sizeBytes(), 0, syncs);
    }

    /// Writes `instrs` into stream slot `slot`; returns the submit on queue `queue`.
    QueueSubmit stream(int slot, int queue, CsBuilder b, List<SyncOp> syncs) {
        long s = STREAMS + 64L * slot;
        b.writeTo(cpu, s);
        return new QueueSubmit(queue, VA + s, b.sizeBytes(), 0, syncs);
    }

    /// GPU timestamp ticks between the two stamps of slot `slot`.
    long stampTicks(int slot) {
        return cpu.getLong(STAMPS + 16L * slot + 8) - cpu.getLong(STAMPS + 16L * slot);
    }

    static long pattern(long i) {
        return 0x0123_4567_89AB_CDEFL * (i + 1);
    }

    void writeSource() {
        for (long i = 0; i < DATA_BYTES / 8; i++) {
            cpu.putLong(SRC + 8 * i, pattern(i));
        }
    }

    /// Index of the first word of `[off, off + DATA_BYTES)` not equal to `pattern(i)`, or -1.
    int firstMismatch(long off) {
        for (int i = 0; i < DATA_BYTES / 8; i++) {
            if (cpu.getLong(off + 8L * i) != pattern(i)) {
                return i;
            }
        }
        return -1;
    }

    /// The fence of syncobj `handle` of the client's file, read kernel-side (the uAPI has no
    /// sync_file status query here): its error, 0 when signalled without one.
    static DmaFence fence(TyrUser u, int handle) {
        KFile f = u.proc.fget(u.client.drm().fd());
        try {
            return f.privateData(DrmFile.class).syncobjFind(handle).fence();
        } finally {
            f.put();
        }
    }

    @Override
    public void close() {
        cpu.close();
    }
}
