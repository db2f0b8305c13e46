package dev.gpuemu.kernel.drm;

import java.util.Objects;

/// `drm::DriverInfo`: what `DRM_IOCTL_VERSION` reports.
///
/// @param major      driver major version
/// @param minor      driver minor version
/// @param patchlevel driver patch level
/// @param name       short name (`vgem`, `panthor`)
/// @param desc       description
/// @param date       date string; modern kernels report `"0"`
public record DriverInfo(int major, int minor, int patchlevel, String name, String desc, String date) {
    public DriverInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(desc, "desc");
        Objects.requireNonNull(date, "date");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("driver name must not be empty");
        }
    }

    /// With the fixed date string of current kernels.
    public DriverInfo(int major, int minor, int patchlevel, String name, String desc) {
        this(major, minor, patchlevel, name, desc, "0");
    }
}
