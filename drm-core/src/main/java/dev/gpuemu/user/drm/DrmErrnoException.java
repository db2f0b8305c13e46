package dev.gpuemu.user.drm;

import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.Ioc;
import dev.gpuemu.kernel.uapi.drm.DrmIoctls;
import dev.gpuemu.kernel.uapi.drm.VgemDrm;
import java.util.HashMap;
import java.util.Map;

/// A failed syscall of a DRM client: the operation (an ioctl's `drm.h` macro name such as
/// `DRM_IOCTL_GEM_CLOSE`, or `open`, `mmap`, `munmap`, `close`) and the error number the kernel
/// returned. This is a userspace exception: the kernel model answers `-errno` and never throws;
/// the library turns that answer into this exception for callers that prefer it.
///
/// ## Invariants
/// `code() > 0`; [#errno()] is the matching [Errno], or null for a number the enum lacks.
///
/// ## Thread safety
/// Immutable.
public final class DrmErrnoException extends RuntimeException {
    private static final Map<Integer, String> IOCTL_NAMES = new HashMap<>();

    static {
        for (DrmIoctls.DrmIoctl i : DrmIoctls.ALL) {
            IOCTL_NAMES.put(i.cmd(), i.name());
        }
        for (DrmIoctls.DrmIoctl i : VgemDrm.ALL) {
            IOCTL_NAMES.put(i.cmd(), i.name());
        }
    }

    private final String operation;
    private final int code;
    private final Errno errno;

    /// @param operation what failed (`DRM_IOCTL_*` name or syscall name)
    /// @param result    the raw return value, `-errno` (a positive number is taken as the errno)
    public DrmErrnoException(String operation, long result) {
        super(operation + ": " + describe(result), null, false, false);
        if (result == 0 || Math.abs(result) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("not an errno: " + result);
        }
        this.operation = operation;
        this.code = (int) Math.abs(result);
        this.errno = Errno.ofCode(code);
    }

    /// The exception for ioctl `cmd` that returned `result`.
    static DrmErrnoException ioctl(int cmd, int result) {
        return new DrmErrnoException(ioctlName(cmd), result);
    }

    /// The `drm.h` / `vgem_drm.h` macro name of `cmd`, or `ioctl 0x...` when unknown.
    public static String ioctlName(int cmd) {
        String name = IOCTL_NAMES.get(cmd);
        return name != null ? name : "ioctl " + Ioc.toString(cmd);
    }

    private static String describe(long result) {
        Errno e = Errno.ofCode((int) Math.min(Math.abs(result), Integer.MAX_VALUE));
        return (e != null ? e.name() : "errno") + " (" + Math.abs(result) + ")";
    }

    /// The failed operation.
    public String operation() {
        return operation;
    }

    /// The error, or null when the number is not one [Errno] knows.
    public Errno errno() {
        return errno;
    }

    /// The positive error number.
    public int code() {
        return code;
    }
}
