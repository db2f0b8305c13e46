package dev.gpuemu.kernel.uapi.drm;

import static dev.gpuemu.kernel.uapi.drm.Uapi.field;
import static dev.gpuemu.kernel.uapi.drm.Uapi.struct;
import static dev.gpuemu.kernel.uapi.drm.Uapi.u32;
import static dev.gpuemu.kernel.uapi.drm.Uapi.u64;

import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/// Dumb buffers (`drm_mode.h`): `drm_mode_create_dumb` (32 bytes), `drm_mode_map_dumb` (16) and
/// `drm_mode_destroy_dumb` (4). KMS ioctls, but vgem implements them for plain GEM objects.
///
/// ## Thread safety
/// Constants only.
public final class DrmDumb {
    private DrmDumb() {
    }

    /// `struct drm_mode_create_dumb`: height, width, bpp, flags in; handle, pitch, size out.
    public static final class Create {
        public static final StructLayout LAYOUT = struct("drm_mode_create_dumb",
                u32("height"), u32("width"), u32("bpp"), u32("flags"),
                u32("handle"), u32("pitch"), u64("size"));
        public static final VarHandle HEIGHT = field(LAYOUT, "height");
        public static final VarHandle WIDTH = field(LAYOUT, "width");
        public static final VarHandle BPP = field(LAYOUT, "bpp");
        public static final VarHandle FLAGS = field(LAYOUT, "flags");
        public static final VarHandle HANDLE = field(LAYOUT, "handle");
        public static final VarHandle PITCH = field(LAYOUT, "pitch");
        public static final VarHandle SIZE = field(LAYOUT, "size");

        private Create() {
        }
    }

    /// `struct drm_mode_map_dumb`: handle in, fake mmap offset out.
    public static final class Map {
        public static final StructLayout LAYOUT = struct("drm_mode_map_dumb", u32("handle"), u32("pad"), u64("offset"));
        public static final VarHandle HANDLE = field(LAYOUT, "handle");
        public static final VarHandle PAD = field(LAYOUT, "pad");
        public static final VarHandle OFFSET = field(LAYOUT, "offset");

        private Map() {
        }
    }

    /// `struct drm_mode_destroy_dumb`.
    public static final class Destroy {
        public static final StructLayout LAYOUT = struct("drm_mode_destroy_dumb", u32("handle"));
        public static final VarHandle HANDLE = field(LAYOUT, "handle");

        private Destroy() {
        }
    }
}
