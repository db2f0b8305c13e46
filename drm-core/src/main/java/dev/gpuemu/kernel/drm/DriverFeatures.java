package dev.gpuemu.kernel.drm;

/// `enum drm_driver_feature` bits (include/drm/drm_drv.h).
///
/// ## Thread safety
/// Constants only.
public final class DriverFeatures {
    public static final int DRIVER_GEM = 1;
    public static final int DRIVER_MODESET = 1 << 1;
    public static final int DRIVER_ATOMIC = 1 << 2;
    /// Creates a render node (`renderD128`...).
    public static final int DRIVER_RENDER = 1 << 3;
    public static final int DRIVER_SYNCOBJ = 1 << 5;
    public static final int DRIVER_SYNCOBJ_TIMELINE = 1 << 6;
    public static final int DRIVER_COMPUTE_ACCEL = 1 << 7;
    public static final int DRIVER_GEM_GPUVA = 1 << 8;

    private DriverFeatures() {
    }

    public static boolean has(int features, int bit) {
        return (features & bit) == bit;
    }
}
