package dev.gpuemu.inject;

import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.uapi.drm.DrmCap;
import dev.gpuemu.kernel.uapi.drm.DrmSyncobj;
import dev.gpuemu.machine.time.SimClock;
import dev.gpuemu.user.drm.DrmClient;
import dev.gpuemu.user.drm.UserMapping;
import dev.gpuemu.user.drm.VgemClient;
import java.util.SplittableRandom;

/// Load on a GEM driver without jobs (vgem, the planted drivers), on the primary node (dumb
/// buffers are not allowed on render nodes). Steps: `VERSION`; `GET_CAP`; a dumb buffer created,
/// given an mmap offset, mapped, written and read back, unmapped and closed; on vgem a fence
/// attached to the sentinel and signalled (driver ioctls); a signaled syncobj created, waited for
/// and destroyed.
///
/// ## Thread safety
/// Confined to its load thread.
final class GemSession extends LoadSession {
    private static final int RW = Fcntl.PROT_READ | Fcntl.PROT_WRITE;

    private final DrmClient client;
    private final String driver;
    /// Weight of the dumb-buffer step among 4 (the planted drivers' buggy path is dumb_create).
    private final int dumbWeight;
    private int sentinelHandle = -1;
    private final Checker checker;
    private final boolean vgemFences;

    GemSession(Process proc, SimClock clock, String node, long epoch, boolean duringUnplug, long seed, String driver, int dumbWeight,
               Checker checker) {
        super(proc, clock, epoch, duringUnplug, seed);
        this.driver = driver;
        this.dumbWeight = dumbWeight;
        this.checker = checker;
        this.vgemFences = driver.equals("vgem");
        client = DrmClient.open(proc, node);
        okCalls++;
        try {
            DrmClient.Dumb d = client.createDumb(128, SENTINEL_BYTES / 512, 32);
            okCalls++;
            sentinelHandle = d.handle();
            long off = client.mapDumb(d.handle());
            okCalls++;
            setSentinel(client.mmap(off, SENTINEL_BYTES, RW), 0, true);
            okCalls++;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    String driver() {
        return driver;
    }

    @Override
    void step(SplittableRandom rng) {
        int r = rng.nextInt(5 + dumbWeight);
        if (r >= 5) {
            dumb(rng);
            return;
        }
        switch (r) {
            case 0 -> {
                client.version();
                okCalls += 2;
            }
            case 1 -> {
                client.getCap(DrmCap.DRM_CAP_PRIME);
                okCalls++;
            }
            case 2 -> dumb(rng);
            case 3 -> {
                if (!vgemFences) {
                    dumb(rng);
                    return;
                }
                // A driver ioctl pair (vgem's fence attach/signal), for invariant 2's probe.
                VgemClient v = VgemClient.of(client);
                int fence = v.fenceAttach(sentinelHandle, VgemClient.VGEM_FENCE_WRITE);
                okCalls++;
                v.fenceSignal(fence);
                okCalls++;
            }
            default -> {
                int h = client.syncobjCreate(DrmSyncobj.DRM_SYNCOBJ_CREATE_SIGNALED);
                okCalls++;
                try {
                    client.syncobjWait(new int[] {h}, clock.nowNs() + 1_000_000L, 0);
                    okCalls++;
                } finally {
                    quietly(() -> client.syncobjDestroy(h));
                }
                okCalls++;
            }
        }
    }

    private void dumb(SplittableRandom rng) {
        DrmClient.Dumb d = client.createDumb(64, 1 + rng.nextInt(16), 32);
        okCalls++;
        try {
            long off = client.mapDumb(d.handle());
            okCalls++;
            try (UserMapping m = client.mmap(off, d.size(), RW)) {
                okCalls++;
                long bad = writeAndVerify(m, d.size(), rng.nextLong());
                if (bad >= 0) {
                    checker.violation(5, driver + ": a fresh dumb buffer read back wrong at word " + bad);
                }
            }
        } finally {
            client.gemClose(d.handle());
            okCalls++;
        }
    }

    @Override
    void closeFile() {
        if (sentinelHandle >= 0) {
            int h = sentinelHandle;
            sentinelHandle = -1;
            quietly(() -> client.gemClose(h));
        }
        client.close();
    }
}
