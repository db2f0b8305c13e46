package dev.gpuemu.inject;

import dev.gpuemu.kernel.dmabuf.DmaFence;
import dev.gpuemu.kernel.drm.DrmFile;
import dev.gpuemu.kernel.drm.syncobj.Syncobj;
import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.drm.DrmSyncobj;
import dev.gpuemu.kernel.uapi.panthor.PanthorDrm;
import dev.gpuemu.kernel.vfs.KFile;
import dev.gpuemu.machine.time.SimClock;
import dev.gpuemu.user.drm.DrmErrnoException;
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
import java.util.SplittableRandom;

/// Load on panthor (tyr) through its render node, set up as panvk would: a VM, a 1 MiB BO bound
/// at [#VA] and mapped on the CPU, a one-queue compute group. Steps: `VERSION`; `DEV_QUERY`
/// GPU info; a small BO created, mapped, written and read back, closed; a signaled syncobj
/// waited for; a `GROUP_SUBMIT` of a 4 KiB copy job signalling a new syncobj (left in flight);
/// a wait for the job in flight (invariant 7: it must end, with its data copied unless an unplug
/// began).
///
/// BO layout: `0x0` stream, `0x1000` kernel descriptor, `0x10000` SRC, `0x20000` DST, `0x80000`
/// the sentinel.
///
/// ## Thread safety
/// Confined to its load thread.
final class PanthorSession extends LoadSession {
    static final long VA = 0x100_0000L;
    private static final long BO_BYTES = 1 << 20;
    private static final long SRC = 0x10000;
    private static final long DST = 0x20000;
    private static final long SENTINEL = 0x80000;
    private static final int COPY_BYTES = 4 << 10;
    /// How long (simulated) a load thread waits for a job before calling it hung.
    static final long JOB_WAIT_NS = 1_000_000_000L;

    private final PanthorClient client;
    private final Checker checker;
    private int vm = -1;
    private Bo bo;
    private int group = -1;
    private UserMapping cpu;
    private int pending = -1;
    private long copySeed;
    private int streamBytes;

    PanthorSession(Process proc, SimClock clock, String node, long epoch, boolean duringUnplug, long seed, Checker checker) {
        super(proc, clock, epoch, duringUnplug, seed);
        this.checker = checker;
        client = PanthorClient.open(proc, node);
        okCalls += 2;
        try {
            GpuInfo info = client.gpuInfo();
            vm = client.vmCreate(0).id();
            bo = client.boCreate(BO_BYTES, 0, 0);
            client.vmBind(vm, 0, List.of(BindOp.map(bo.handle(), 0, VA, bo.size(), 0)));
            group = client.groupCreate(GroupSpec.compute(vm, PanthorDrm.PANTHOR_GROUP_PRIORITY_MEDIUM,
                    info.shaderPresent(), info.tilerPresent(), List.of(new QueueSpec(0, 64 << 10))));
            cpu = client.mmapBo(bo);
            okCalls += 7;
            new KernelDesc(KernelDesc.COPY, VA + SRC, VA + DST, COPY_BYTES, 0, 0, 0, 0).writeTo(cpu, 0x1000);
            CsBuilder stream = new CsBuilder().move48(CsBuilder.SPD_BASE, VA + 0x1000).runCompute(0);
            stream.writeTo(cpu, 0);
            streamBytes = stream.sizeBytes();
            setSentinel(cpu, SENTINEL, false);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    String driver() {
        return "panthor";
    }

    @Override
    void step(SplittableRandom rng) {
        switch (rng.nextInt(6)) {
            case 0 -> {
                client.drm().version();
                okCalls += 2;
            }
            case 1 -> {
                client.gpuInfo();
                okCalls++;
            }
            case 2 -> bo(rng);
            case 3 -> {
                int h = client.drm().syncobjCreate(DrmSyncobj.DRM_SYNCOBJ_CREATE_SIGNALED);
                okCalls++;
                try {
                    client.syncobjWait(h, clock.nowNs() + JOB_WAIT_NS);
                    okCalls++;
                } finally {
                    quietly(() -> client.syncobjDestroy(h));
                }
            }
            case 4 -> submit(rng);
            default -> waitPending();
        }
    }

    private void bo(SplittableRandom rng) {
        Bo b = client.boCreate(4096L << rng.nextInt(3), 0, 0);
        okCalls++;
        try (UserMapping m = client.mmapBo(b)) {
            okCalls += 2;
            long bad = writeAndVerify(m, b.size(), rng.nextLong());
            if (bad >= 0) {
                checker.violation(5, "panthor: a fresh BO read back wrong at word " + bad);
            }
        } finally {
            client.drm().gemClose(b.handle());
            okCalls++;
        }
    }

    private void submit(SplittableRandom rng) {
        if (pending >= 0) {
            waitPending();
            return;
        }
        copySeed = rng.nextLong();
        for (long i = 0; i < COPY_BYTES / 8; i++) {
            cpu.putLong(SRC + 8 * i, pattern(copySeed, i));
        }
        int s = client.syncobjCreate();
        okCalls++;
        pending = s;
        client.groupSubmit(group, List.of(new QueueSubmit(0, VA, streamBytes, 0, List.of(SyncOp.signal(s)))));
        okCalls++;
    }

    /// A job for sure: submits one unless one is in flight, then waits for it (health check).
    void finishJob(SplittableRandom rng) {
        if (pending < 0) {
            submit(rng);
        }
        waitPending();
    }

    private void waitPending() {
        if (pending < 0) {
            return;
        }
        try {
            client.syncobjWait(pending, clock.nowNs() + JOB_WAIT_NS);
            okCalls++;
        } catch (DrmErrnoException e) {
            if (e.errno() == Errno.ETIME) {
                checker.violation(7, "panthor: a copy job's out-fence was not signalled within "
                        + JOB_WAIT_NS / 1_000_000 + " ms simulated");
                pending = -1;
                return;
            }
            throw e;
        }
        int s = pending;
        pending = -1;
        if (!enodevAllowed(checker)) {
            for (long i = 0; i < COPY_BYTES / 8; i++) {
                if (cpu.getLong(DST + 8 * i) != pattern(copySeed, i)) {
                    checker.violation(7, "panthor: a copy job signalled success but word " + i + " was not copied");
                    break;
                }
            }
        }
        client.syncobjDestroy(s);
        okCalls++;
    }

    @Override
    void checkAfterUnplug(Checker c) {
        super.checkAfterUnplug(c);
        if (pending < 0) {
            return;
        }
        // The wait ioctl answers ENODEV now; look at the job's fence from the kernel side.
        KFile f = proc.fget(client.drm().fd());
        if (f == null) {
            return;
        }
        try {
            Syncobj so = f.privateData(DrmFile.class).syncobjFind(pending);
            DmaFence fence = so == null ? null : so.fence();
            if (fence != null && !fence.isSignaled()) {
                c.violation(7, "panthor: a job's out-fence is still unsignalled after the unplug returned: " + fence);
            } else if (fence != null && fence.error() != 0 && fence.error() != Errno.ECANCELED.negative()) {
                c.violation(7, "panthor: a cancelled job's fence carries " + fence.error() + ", expected ECANCELED");
            }
        } finally {
            f.put();
        }
    }

    @Override
    void closeFile() {
        if (cpu != null) {
            cpu.close();
            cpu = null;
        }
        if (group >= 0) {
            int g = group;
            quietly(() -> client.groupDestroy(g));
        }
        if (bo != null) {
            quietly(() -> client.drm().gemClose(bo.handle()));
        }
        if (vm >= 0) {
            int v = vm;
            quietly(() -> client.vmDestroy(v));
        }
        client.close();
    }
}
