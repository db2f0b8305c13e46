package dev.gpuemu.kernel.uapi.drm;

import static dev.gpuemu.kernel.uapi.drm.Uapi.field;
import static dev.gpuemu.kernel.uapi.drm.Uapi.struct;
import static dev.gpuemu.kernel.uapi.drm.Uapi.u32;
import static dev.gpuemu.kernel.uapi.drm.Uapi.u64;

import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/// The GEM core structs: `drm_gem_close` (8 bytes), `drm_gem_flink` (8) and `drm_gem_open`
/// (16). Handles start at 1; 0 is never a valid handle. Flink names are device-global.
///
/// ## Thread safety
/// Constants only.
public final class DrmGem {
    private DrmGem() {
    }

    /// `struct drm_gem_close` (`DRM_IOCTL_GEM_CLOSE`, write-only): `pad` must be 0.
    public static final class Close {
        public static final StructLayout LAYOUT = struct("drm_gem_close", u32("handle"), u32("pad"));
        public static final VarHandle HANDLE = field(LAYOUT, "handle");
        public static final VarHandle PAD = field(LAYOUT, "pad");

        private Close() {
        }
    }

    /// `struct drm_gem_flink` (`DRM_IOCTL_GEM_FLINK`): handle in, global name out.
    public static final class Flink {
        public static final StructLayout LAYOUT = struct("drm_gem_flink", u32("handle"), u32("name"));
        public static final VarHandle HANDLE = field(LAYOUT, "handle");
        public static final VarHandle NAME = field(LAYOUT, "name");

        private Flink() {
        }
    }

    /// `struct drm_gem_open` (`DRM_IOCTL_GEM_OPEN`): name in, handle and size out.
    public static final class Open {
        public static final StructLayout LAYOUT = struct("drm_gem_open", u32("name"), u32("handle"), u64("size"));
        public static final VarHandle NAME = field(LAYOUT, "name");
        public static final VarHandle HANDLE = field(LAYOUT, "handle");
        public static final VarHandle SIZE = field(LAYOUT, "size");

        private Open() {
        }
    }
}
