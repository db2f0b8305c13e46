package dev.gpuemu.kernel.drm.ioctl;

import dev.gpuemu.kernel.drm.RegistrationData;
import dev.gpuemu.kernel.uapi.Ioc;
import java.lang.foreign.MemoryLayout;
import java.util.Objects;

/// One driver ioctl (`struct drm_ioctl_desc`): name, full command, permission flags, the uAPI
/// struct layout of its argument and the handler. A *reserved* entry (no handler) keeps a number
/// unused, as vgem's 0x40; calling it is `EINVAL`.
///
/// @param name    `DRM_IOCTL_VGEM_FENCE_ATTACH`-style name, for logs and scripts
/// @param cmd     the full command as userspace encodes it
/// @param flags   [IoctlFlags] bits
/// @param layout  the argument struct, or null for an ioctl without argument
/// @param handler the handler; null for a reserved entry
public record IoctlDesc<D, R extends RegistrationData, F>(String name, int cmd, int flags, MemoryLayout layout,
                                                          IoctlHandler<D, R, F> handler) {
    public IoctlDesc {
        Objects.requireNonNull(name, "name");
    }

    /// `DRM_IOWR(nr, struct)`.
    public static <D, R extends RegistrationData, F> IoctlDesc<D, R, F> iowr(String name, int nr, MemoryLayout layout,
                                                                          int flags, IoctlHandler<D, R, F> handler) {
        return new IoctlDesc<>(name, Ioc.iowr(Ioc.DRM_TYPE, nr, (int) layout.byteSize()), flags, layout, handler);
    }

    /// `DRM_IOW(nr, struct)`: input only.
    public static <D, R extends RegistrationData, F> IoctlDesc<D, R, F> iow(String name, int nr, MemoryLayout layout,
                                                                         int flags, IoctlHandler<D, R, F> handler) {
        return new IoctlDesc<>(name, Ioc.iow(Ioc.DRM_TYPE, nr, (int) layout.byteSize()), flags, layout, handler);
    }

    /// `DRM_IOR(nr, struct)`: output only.
    public static <D, R extends RegistrationData, F> IoctlDesc<D, R, F> ior(String name, int nr, MemoryLayout layout,
                                                                         int flags, IoctlHandler<D, R, F> handler) {
        return new IoctlDesc<>(name, Ioc.ior(Ioc.DRM_TYPE, nr, (int) layout.byteSize()), flags, layout, handler);
    }

    /// An unused number.
    public static <D, R extends RegistrationData, F> IoctlDesc<D, R, F> reserved(int nr) {
        return new IoctlDesc<>("reserved 0x" + Integer.toHexString(nr), Ioc.io(Ioc.DRM_TYPE, nr), 0, null, null);
    }

    public int nr() {
        return Ioc.nr(cmd);
    }

    public boolean isReserved() {
        return handler == null;
    }
}
