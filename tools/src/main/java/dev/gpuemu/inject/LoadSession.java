package dev.gpuemu.inject;

import dev.gpuemu.kernel.dmabuf.DmaFence;
import dev.gpuemu.kernel.drm.DrmFile;
import dev.gpuemu.kernel.drm.syncobj.Syncobj;
import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.vfs.KFile;
import dev.gpuemu.machine.time.SimClock;
import dev.gpuemu.user.drm.DrmClient;
import dev.gpuemu.user.drm.DrmErrnoException;
import dev.gpuemu.user.drm.UserMapping;
import java.util.SplittableRandom;

/// One open file of a load thread and what it keeps across steps: a **sentinel** buffer object
/// written through its CPU mapping when the session opened, kept mapped, and read back after the
/// device was unplugged (invariant 5); driver-specific state in subclasses.
///
/// Steps issue a few ioctls each through the `user.drm` / `user.panthor` clients; a failing ioctl
/// throws [DrmErrnoException], which the [LoadThread] classifies. Successful ioctls are counted in
/// [#okCalls].
///
/// ## Thread safety
/// Confined to its load thread.
///
/// ## Lifecycle
/// opened (by a subclass constructor, which cleans up after itself when it fails) → steps →
/// [#close] once; close never throws for an unplugged device.
abstract class LoadSession implements AutoCloseable {
    /// Bytes of the sentinel buffer.
    static final int SENTINEL_BYTES = 16 << 10;

    final Process proc;
    final SimClock clock;
    /// [Checker#unplugsBegun] when the file was opened.
    final long epoch;
    /// Whether an unplug was still in progress when the file was opened (then it may have reached
    /// the device being unplugged through its still visible node, and `ENODEV` is legal).
    final boolean openedDuringUnplug;
    private final long sentinelSeed;
    int okCalls;
    private UserMapping sentinel;
    private long sentinelBase;
    private boolean ownsSentinel;

    LoadSession(Process proc, SimClock clock, long epoch, boolean openedDuringUnplug, long sentinelSeed) {
        this.proc = proc;
        this.clock = clock;
        this.epoch = epoch;
        this.openedDuringUnplug = openedDuringUnplug;
        this.sentinelSeed = sentinelSeed;
    }

    /// Whether `ENODEV` is legal for this file now (invariant 1): an unplug began after it was
    /// opened, or one was in progress when it was opened.
    boolean enodevAllowed(Checker c) {
        return openedDuringUnplug || c.unplugsBegun() != epoch;
    }

    /// One seeded step.
    abstract void step(SplittableRandom rng);

    /// Name of the device's DRM driver, for messages.
    abstract String driver();

    /// A GPU job for sure (health check): submits one unless one is in flight, waits for it and
    /// checks its result. Drivers without jobs do nothing.
    void finishJob(SplittableRandom rng) {
    }

    static long pattern(long seed, long i) {
        return (seed + i + 1) * 0x9E37_79B9_7F4A_7C15L;
    }

    /// Keeps `[base, base + SENTINEL_BYTES)` of `m` as the sentinel and fills it with the
    /// session's pattern; `owned`: [#close] unmaps `m`.
    final void setSentinel(UserMapping m, long base, boolean owned) {
        sentinel = m;
        sentinelBase = base;
        ownsSentinel = owned;
        for (long i = 0; i < SENTINEL_BYTES / 8; i++) {
            m.putLong(base + 8 * i, pattern(sentinelSeed, i));
        }
    }

    /// Writes a pattern of `bytes` into `m` and reads it back; the index of the first bad word or -1.
    static long writeAndVerify(UserMapping m, long bytes, long seed) {
        for (long i = 0; i < bytes / 8; i++) {
            m.putLong(8 * i, pattern(seed, i));
        }
        for (long i = 0; i < bytes / 8; i++) {
            if (m.getLong(8 * i) != pattern(seed, i)) {
                return i;
            }
        }
        return -1;
    }

    /// After this session saw `ENODEV` and the unplug returned: the sentinel reads back intact
    /// (invariant 5), and subclass checks (in-flight fences, invariant 7).
    void checkAfterUnplug(Checker checker) {
        if (sentinel == null) {
            return;
        }
        try {
            for (long i = 0; i < SENTINEL_BYTES / 8; i++) {
                long got = sentinel.getLong(sentinelBase + 8 * i);
                if (got != pattern(sentinelSeed, i)) {
                    checker.violation(5, driver() + ": sentinel word " + i + " reads 0x" + Long.toHexString(got)
                            + " after unplug, wrote 0x" + Long.toHexString(pattern(sentinelSeed, i)));
                    return;
                }
            }
        } catch (RuntimeException e) {
            checker.violation(5, driver() + ": reading the sentinel mapping after unplug failed: " + e);
        }
    }

    /// After the unplug returned, the fence of the job in flight on syncobj `handle` of `drm`, looked
    /// up kernel-side (the wait ioctl answers `ENODEV` now): it must be signalled, with no error or
    /// `ECANCELED` (invariant 7).
    final void checkFenceAfterUnplug(Checker c, DrmClient drm, int handle) {
        KFile f = proc.fget(drm.fd());
        if (f == null) {
            return;
        }
        try {
            Syncobj so = f.privateData(DrmFile.class).syncobjFind(handle);
            DmaFence fence = so == null ? null : so.fence();
            if (fence != null && !fence.isSignaled()) {
                c.violation(7, driver() + ": a job's out-fence is still unsignalled after the unplug returned: " + fence);
            } else if (fence != null && fence.error() != 0 && fence.error() != Errno.ECANCELED.negative()) {
                c.violation(7, driver() + ": a cancelled job's fence carries " + fence.error() + ", expected ECANCELED");
            }
        } finally {
            f.put();
        }
    }

    /// Unmaps the sentinel, then closes the subclass's state.
    @Override
    public void close() {
        if (sentinel != null && ownsSentinel) {
            sentinel.close();
        }
        sentinel = null;
        closeFile();
    }

    /// Releases driver state best-effort (errors from an unplugged device are expected) and closes
    /// the file; a failing close(2) throws [DrmErrnoException].
    abstract void closeFile();

    /// Runs `r`, ignoring the errno it fails with (cleanup on a possibly unplugged device).
    static void quietly(Runnable r) {
        try {
            r.run();
        } catch (DrmErrnoException e) {
            // ENODEV after unplug: the kernel releases it at close anyway.
        }
    }
}
