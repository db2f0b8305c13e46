package dev.gpuemu.kernel.drm.ioctl;

/// `enum drm_ioctl_flags` (include/drm/drm_ioctl.h): who may call an ioctl.
///
/// ## Thread safety
/// Constants only.
public final class IoctlFlags {
    /// Primary-node clients must be authenticated (render clients always pass).
    public static final int DRM_AUTH = 0x1;
    /// Only the current master.
    public static final int DRM_MASTER = 0x2;
    /// Only `CAP_SYS_ADMIN`.
    public static final int DRM_ROOT_ONLY = 0x4;
    /// Historical; no effect on modern drivers.
    public static final int DRM_UNLOCKED = 0x10;
    /// Allowed on render nodes.
    public static final int DRM_RENDER_ALLOW = 0x20;

    static final int ALL = DRM_AUTH | DRM_MASTER | DRM_ROOT_ONLY | DRM_UNLOCKED | DRM_RENDER_ALLOW;

    private IoctlFlags() {
    }
}
