package dev.gpuemu.kernel.uapi.drm;

import static dev.gpuemu.kernel.uapi.drm.Uapi.field;
import static dev.gpuemu.kernel.uapi.drm.Uapi.ptr;
import static dev.gpuemu.kernel.uapi.drm.Uapi.s32;
import static dev.gpuemu.kernel.uapi.drm.Uapi.sizeT;
import static dev.gpuemu.kernel.uapi.drm.Uapi.struct;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/// `struct drm_version` (`DRM_IOCTL_VERSION`, 64 bytes) and `struct drm_unique`
/// (`DRM_IOCTL_GET_UNIQUE`, 16 bytes).
///
/// `drm_version`: three `int`s, 4 bytes of padding, then three (length, user pointer) pairs for
/// the name, date and description strings. The kernel copies `min(strlen, *_len)` bytes without a
/// NUL and writes the full length back, so a first call with zero lengths learns the sizes.
///
/// ## Thread safety
/// Constants only.
public final class DrmVersion {
    public static final StructLayout LAYOUT = struct("drm_version",
            s32("version_major"),
            s32("version_minor"),
            s32("version_patchlevel"),
            MemoryLayout.paddingLayout(4),
            sizeT("name_len"),
            ptr("name"),
            sizeT("date_len"),
            ptr("date"),
            sizeT("desc_len"),
            ptr("desc"));

    public static final VarHandle VERSION_MAJOR = field(LAYOUT, "version_major");
    public static final VarHandle VERSION_MINOR = field(LAYOUT, "version_minor");
    public static final VarHandle VERSION_PATCHLEVEL = field(LAYOUT, "version_patchlevel");
    public static final VarHandle NAME_LEN = field(LAYOUT, "name_len");
    public static final VarHandle NAME = field(LAYOUT, "name");
    public static final VarHandle DATE_LEN = field(LAYOUT, "date_len");
    public static final VarHandle DATE = field(LAYOUT, "date");
    public static final VarHandle DESC_LEN = field(LAYOUT, "desc_len");
    public static final VarHandle DESC = field(LAYOUT, "desc");

    private DrmVersion() {
    }

    /// `struct drm_unique`: the bus id string (same length protocol as the version strings).
    public static final class Unique {
        public static final StructLayout LAYOUT = struct("drm_unique",
                sizeT("unique_len"),
                ptr("unique"));

        public static final VarHandle UNIQUE_LEN = field(LAYOUT, "unique_len");
        public static final VarHandle UNIQUE = field(LAYOUT, "unique");

        private Unique() {
        }
    }
}
