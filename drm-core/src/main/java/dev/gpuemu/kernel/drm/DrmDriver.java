package dev.gpuemu.kernel.drm;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.drm.gem.DumbGeometry;
import dev.gpuemu.kernel.drm.gem.GemFile;
import dev.gpuemu.kernel.drm.ioctl.IoctlTable;
import dev.gpuemu.kernel.uapi.Errno;

/// A DRM driver (`struct drm_driver`, Rust `drm::Driver`).
///
/// Type parameters, as the Rust associated types:
/// - `D` (`Driver::Data`): lives in the DRM device and may outlive unbind (freed at the last
///   device reference); it must not hold binding-scoped resources.
/// - `R` (`RegistrationData`): per-binding state, valid only inside a [RegistrationGuard].
/// - `F` (`Driver::File`): per open file, created at open, dropped at postclose.
///
/// ## Thread safety
/// Implementations are stateless or thread-safe; callbacks run on user threads.
public interface DrmDriver<D, R extends RegistrationData, F> {
    DriverInfo info();

    /// [DriverFeatures] bits.
    int features();

    /// The driver's ioctls (numbers `0x40 + index`); [IoctlTable#empty()] for none.
    IoctlTable<D, R, F> ioctls();

    /// `DriverFile::open`: the per-file state of a new open file, or an errno.
    F openFile(DrmDevice<D, R> dev) throws KernelException;

    /// `postclose`: the file's last reference is gone (also after unplug). Must not throw.
    default void postclose(DrmDevice<D, R> dev, F file) {
    }

    /// `dumb_create`: creates an object of `geometry.size()` bytes and returns its new handle in
    /// `file` (a shmem driver calls `GemDumb.create`). Without it `MODE_CREATE_DUMB` is `ENOSYS`.
    default int dumbCreate(DrmDevice<D, R> dev, GemFile file, DumbGeometry geometry) throws KernelException {
        throw new KernelException(Errno.ENOSYS, info().name() + " has no dumb buffers");
    }

    /// `release`: the device's last reference is gone; the driver data may be dropped.
    default void release(D data) {
    }
}
