package dev.gpuemu.kernel.drm.ioctl;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.drm.DrmFile;
import dev.gpuemu.kernel.drm.RegisteredDevice;
import dev.gpuemu.kernel.drm.RegistrationData;
import dev.gpuemu.kernel.vfs.Task;
import java.lang.foreign.MemorySegment;

/// A driver ioctl handler. The DRM core calls it only inside a
/// [dev.gpuemu.kernel.drm.RegistrationGuard], so `dev` is `Registered` and `data` (the
/// registration data) is valid for the duration of the call; after unplug it is never called.
///
/// `arg` is the kernel copy of the argument (`kdata`): exactly `max(in, out, table size)` bytes,
/// zero-extended past what userspace passed; whatever the handler leaves in it is copied back.
@FunctionalInterface
public interface IoctlHandler<D, R extends RegistrationData, F> {
    /// Returns a non-negative result for userspace or throws with the errno.
    int handle(RegisteredDevice<D, R> dev, R data, MemorySegment arg, DrmFile<F> file, Task task) throws KernelException;
}
