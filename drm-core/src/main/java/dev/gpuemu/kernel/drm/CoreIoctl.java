package dev.gpuemu.kernel.drm;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.vfs.Task;
import java.lang.foreign.MemorySegment;

/// One entry of the DRM core's own ioctl table (`drm_ioctls[]` in drm_ioctl.c).
///
/// @param name    `DRM_IOCTL_VERSION`-style name
/// @param cmd     the full command
/// @param flags   `IoctlFlags` bits
/// @param handler the handler
record CoreIoctl(String name, int cmd, int flags, Handler handler) {
    /// A core handler: runs after the point check, outside any section (as in C).
    @FunctionalInterface
    interface Handler {
        int handle(DrmFile<?> file, MemorySegment arg, Task task) throws KernelException;
    }
}
