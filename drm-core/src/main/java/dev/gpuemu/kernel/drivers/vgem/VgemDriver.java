package dev.gpuemu.kernel.drivers.vgem;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.dmabuf.DmaFence;
import dev.gpuemu.kernel.drm.DriverFeatures;
import dev.gpuemu.kernel.drm.DriverInfo;
import dev.gpuemu.kernel.drm.DrmDevice;
import dev.gpuemu.kernel.drm.DrmDriver;
import dev.gpuemu.kernel.drm.DrmFile;
import dev.gpuemu.kernel.drm.RegisteredDevice;
import dev.gpuemu.kernel.drm.RegistrationData;
import dev.gpuemu.kernel.drm.gem.GemObject;
import dev.gpuemu.kernel.drm.gem.DumbGeometry;
import dev.gpuemu.kernel.drm.gem.GemDumb;
import dev.gpuemu.kernel.drm.gem.GemFile;
import dev.gpuemu.kernel.drm.ioctl.IoctlDesc;
import dev.gpuemu.kernel.drm.ioctl.IoctlFlags;
import dev.gpuemu.kernel.drm.ioctl.IoctlTable;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.drm.VgemDrm;
import dev.gpuemu.kernel.vfs.Task;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

/// The vgem DRM driver: `DRIVER_GEM | DRIVER_RENDER | DRIVER_SYNCOBJ`, shmem objects through the
/// dumb-buffer ioctls, and the vgem fence ioctls (uapi vgem_drm.h; numbers 0x41 and 0x42, with
/// 0x40 unused as in Linux):
/// - `VGEM_FENCE_ATTACH { u32 handle; u32 flags; u32 out_fence; u32 pad; }`: a new unsignaled
///   fence for the object (`flags` only `VGEM_FENCE_WRITE`), returned as an id of this file; it
///   signals itself with `-ETIMEDOUT` after 10 s of simulated time, as vgem's timer does;
/// - `VGEM_FENCE_SIGNAL { u32 fence; u32 error; }`: signals it (`ENOENT` unknown id, `EINVAL`
///   non-zero error, `ETIMEDOUT` already signaled by the timer).
///
/// ## Thread safety
/// Stateless apart from the fence sequence counter.
public final class VgemDriver implements DrmDriver<VgemDriver.Data, VgemDriver.Binding, VgemFile> {
    public static final DriverInfo INFO = new DriverInfo(1, 0, 0, "vgem", "Virtual GEM provider");
    public static final int VGEM_FENCE_WRITE = VgemDrm.VGEM_FENCE_WRITE;
    /// vgem's fence timeout.
    public static final long FENCE_TIMEOUT_NS = 10_000_000_000L;

    /// `struct drm_vgem_fence_attach` (the shared uAPI layout).
    public static final MemoryLayout FENCE_ATTACH = VgemDrm.FenceAttach.LAYOUT;
    /// `struct drm_vgem_fence_signal` (the shared uAPI layout).
    public static final MemoryLayout FENCE_SIGNAL = VgemDrm.FenceSignal.LAYOUT;

    /// Driver data (lives as long as the DRM device): the fence sequence.
    public static final class Data {
        private final AtomicLong seqno = new AtomicLong();
    }

    /// vgem's registration data: nothing is bound to hardware, so it holds only a marker that
    /// tests use to see when it was freed.
    public static final class Binding implements RegistrationData {
        private volatile boolean closed;

        public boolean isClosed() {
            return closed;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final IoctlTable<Data, Binding, VgemFile> ioctls = IoctlTable.of(
            IoctlDesc.reserved(0x40),
            IoctlDesc.iowr("DRM_IOCTL_VGEM_FENCE_ATTACH", VgemDrm.FENCE_ATTACH_NR, FENCE_ATTACH, IoctlFlags.DRM_RENDER_ALLOW,
                    VgemDriver::fenceAttach),
            IoctlDesc.iow("DRM_IOCTL_VGEM_FENCE_SIGNAL", VgemDrm.FENCE_SIGNAL_NR, FENCE_SIGNAL, IoctlFlags.DRM_RENDER_ALLOW,
                    VgemDriver::fenceSignal));

    @Override
    public DriverInfo info() {
        return INFO;
    }

    @Override
    public int features() {
        return DriverFeatures.DRIVER_GEM | DriverFeatures.DRIVER_RENDER | DriverFeatures.DRIVER_SYNCOBJ;
    }

    @Override
    public IoctlTable<Data, Binding, VgemFile> ioctls() {
        return ioctls;
    }

    @Override
    public VgemFile openFile(DrmDevice<Data, Binding> dev) {
        return new VgemFile();
    }

    @Override
    public void postclose(DrmDevice<Data, Binding> dev, VgemFile file) {
        // vgem_postclose: fences still pending are signaled so no waiter hangs on a closed file.
        file.fences.drain(DmaFence::signal);
    }

    @Override
    public int dumbCreate(DrmDevice<Data, Binding> dev, GemFile file, DumbGeometry geometry) throws KernelException {
        return GemDumb.create(file, geometry);
    }

    private static int fenceAttach(RegisteredDevice<Data, Binding> dev, Binding data, MemorySegment arg,
                                   DrmFile<VgemFile> file, Task task) throws KernelException {
        int flags = arg.get(JAVA_INT, 4);
        if ((flags & ~VGEM_FENCE_WRITE) != 0 || arg.get(JAVA_INT, 12) != 0) {
            throw KernelException.of(Errno.EINVAL);
        }
        GemObject obj = file.gem().lookup(arg.get(JAVA_INT, 0));
        if (obj == null) {
            throw KernelException.of(Errno.ENOENT);
        }
        obj.put();
        var clock = dev.kernel().clock();
        DmaFence fence = new DmaFence(clock, "vgem", dev.data().seqno.incrementAndGet());
        int id = file.driverFile().fences.alloc(fence, Integer.MAX_VALUE);
        if (id < 0) {
            throw KernelException.of(Errno.ENOSPC);
        }
        clock.schedule(FENCE_TIMEOUT_NS, () -> {
            if (!fence.isSignaled()) {
                fence.setError(Errno.ETIMEDOUT.negative());
                fence.signal();
            }
        });
        arg.set(JAVA_INT, 8, id);
        return 0;
    }

    private static int fenceSignal(RegisteredDevice<Data, Binding> dev, Binding data, MemorySegment arg,
                                   DrmFile<VgemFile> file, Task task) throws KernelException {
        if (arg.get(JAVA_INT, 4) != 0) {
            throw KernelException.of(Errno.EINVAL);
        }
        DmaFence fence = file.driverFile().fences.remove(arg.get(JAVA_INT, 0));
        if (fence == null) {
            throw KernelException.of(Errno.ENOENT);
        }
        if (!fence.signal()) {
            throw KernelException.of(Errno.ETIMEDOUT);
        }
        return 0;
    }
}
