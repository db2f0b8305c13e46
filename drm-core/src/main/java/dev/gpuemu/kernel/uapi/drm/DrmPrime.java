package dev.gpuemu.kernel.uapi.drm;

import static dev.gpuemu.kernel.uapi.drm.Uapi.field;
import static dev.gpuemu.kernel.uapi.drm.Uapi.s32;
import static dev.gpuemu.kernel.uapi.drm.Uapi.struct;
import static dev.gpuemu.kernel.uapi.drm.Uapi.u32;

import dev.gpuemu.kernel.uapi.Fcntl;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/// `struct drm_prime_handle` (12 bytes, 4-byte aligned), the argument of
/// `DRM_IOCTL_PRIME_HANDLE_TO_FD` (handle and flags in, dma-buf fd out) and
/// `DRM_IOCTL_PRIME_FD_TO_HANDLE` (fd in, handle out).
///
/// ## Thread safety
/// Constants only.
public final class DrmPrime {
    /// Export flag: the new fd gets close-on-exec (`O_CLOEXEC`).
    public static final int DRM_CLOEXEC = Fcntl.O_CLOEXEC;
    /// Export flag: the dma-buf may be mapped writable (`O_RDWR`).
    public static final int DRM_RDWR = Fcntl.O_RDWR;

    public static final StructLayout LAYOUT = struct("drm_prime_handle", u32("handle"), u32("flags"), s32("fd"));
    public static final VarHandle HANDLE = field(LAYOUT, "handle");
    public static final VarHandle FLAGS = field(LAYOUT, "flags");
    public static final VarHandle FD = field(LAYOUT, "fd");

    private DrmPrime() {
    }
}
