package dev.gpuemu.igt;

import dev.gpuemu.kernel.dmabuf.DmaFence;
import dev.gpuemu.kernel.drm.DrmFile;
import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.kernel.vfs.KFile;
import dev.gpuemu.machine.time.SimClock;
import dev.gpuemu.user.drm.DrmClient;
import java.util.Optional;

/// What a driver's user does in the hotunplug tests, beyond the DRM core: the healthcheck's exec
/// check (IGT runs one only for i915; ours runs one for every driver that has jobs), the GEM cycle
/// of the -with-load ioctl loop, and the spinner the -with-load variants keep in flight across
/// the unbind or unplug.
///
/// ## Thread safety
/// One instance per subtest; [#load] clients are used by the load thread only.
interface DriverWork {
    /// A small job (or, without jobs, a BO round trip) on a freshly opened node; throws on
    /// failure and leaves nothing open on `drm`'s file but what closing the file frees.
    /// Waits are bounded in simulated time through `clock` (a failure, never a hang).
    void execCheck(DrmClient drm, boolean render, Process proc, SimClock clock);

    /// The load's driver client on `drm` (made now: typed clients ask `VERSION` when made).
    Load load(DrmClient drm);

    /// A job that stays in flight until [Spinner#end], submitted on `drm`; empty when the driver
    /// has no jobs.
    Optional<Spinner> spinner(DrmClient drm, Process proc);

    /// One GEM create and close through the driver's own ioctls.
    interface Load extends AutoCloseable {
        void gemCycle();

        @Override
        void close();
    }

    /// A job in flight, its out-syncobj and its kernel-side out-fence.
    ///
    /// ## Lifecycle
    /// started by [DriverWork#spinner] → [#end] at most once → [#close] once.
    interface Spinner extends AutoCloseable {
        /// The syncobj the job signals, on the spinner's file.
        int syncobj();

        /// The job's out-fence, taken at submit (the uAPI has no status query for it).
        DmaFence fence();

        /// Ends the job from the CPU as IGT's `igt_spin_end` does (a write through the mmap);
        /// a spinner that ends by itself does nothing. Returns whether the write read back.
        boolean end();

        /// Unmaps and closes the spinner's clients (not the file).
        @Override
        void close();
    }

    /// The fence behind syncobj `handle` of `drm`'s file, read kernel-side.
    static DmaFence fenceOf(Process proc, DrmClient drm, int handle) {
        KFile f = proc.fget(drm.fd());
        try {
            DmaFence fence = f.privateData(DrmFile.class).syncobjFind(handle).fence();
            if (fence == null) {
                throw new AssertionError("syncobj " + handle + " has no fence after submit");
            }
            return fence;
        } finally {
            f.put();
        }
    }
}
