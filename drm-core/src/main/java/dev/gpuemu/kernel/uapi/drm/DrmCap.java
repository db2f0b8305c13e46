package dev.gpuemu.kernel.uapi.drm;

import static dev.gpuemu.kernel.uapi.drm.Uapi.field;
import static dev.gpuemu.kernel.uapi.drm.Uapi.struct;
import static dev.gpuemu.kernel.uapi.drm.Uapi.u64;

import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/// Device and client capabilities: `drm_get_cap` / `drm_set_client_cap` (16 bytes each) and the
/// `DRM_CAP_*` / `DRM_CLIENT_CAP_*` ids.
///
/// ## Thread safety
/// Constants only.
public final class DrmCap {
    public static final long DRM_CAP_DUMB_BUFFER = 0x1;
    public static final long DRM_CAP_VBLANK_HIGH_CRTC = 0x2;
    public static final long DRM_CAP_DUMB_PREFERRED_DEPTH = 0x3;
    public static final long DRM_CAP_DUMB_PREFER_SHADOW = 0x4;
    public static final long DRM_CAP_PRIME = 0x5;
    public static final long DRM_CAP_TIMESTAMP_MONOTONIC = 0x6;
    public static final long DRM_CAP_ASYNC_PAGE_FLIP = 0x7;
    public static final long DRM_CAP_CURSOR_WIDTH = 0x8;
    public static final long DRM_CAP_CURSOR_HEIGHT = 0x9;
    public static final long DRM_CAP_ADDFB2_MODIFIERS = 0x10;
    public static final long DRM_CAP_PAGE_FLIP_TARGET = 0x11;
    public static final long DRM_CAP_CRTC_IN_VBLANK_EVENT = 0x12;
    public static final long DRM_CAP_SYNCOBJ = 0x13;
    public static final long DRM_CAP_SYNCOBJ_TIMELINE = 0x14;
    public static final long DRM_CAP_ATOMIC_ASYNC_PAGE_FLIP = 0x15;

    /// Bits of the `DRM_CAP_PRIME` value.
    public static final long DRM_PRIME_CAP_IMPORT = 0x1;
    public static final long DRM_PRIME_CAP_EXPORT = 0x2;

    public static final long DRM_CLIENT_CAP_STEREO_3D = 1;
    public static final long DRM_CLIENT_CAP_UNIVERSAL_PLANES = 2;
    public static final long DRM_CLIENT_CAP_ATOMIC = 3;
    public static final long DRM_CLIENT_CAP_ASPECT_RATIO = 4;
    public static final long DRM_CLIENT_CAP_WRITEBACK_CONNECTORS = 5;
    public static final long DRM_CLIENT_CAP_CURSOR_PLANE_HOTSPOT = 6;

    private DrmCap() {
    }

    /// `struct drm_get_cap` (`DRM_IOCTL_GET_CAP`): capability in, value out (zeroed first).
    public static final class GetCap {
        public static final StructLayout LAYOUT = struct("drm_get_cap", u64("capability"), u64("value"));
        public static final VarHandle CAPABILITY = field(LAYOUT, "capability");
        public static final VarHandle VALUE = field(LAYOUT, "value");

        private GetCap() {
        }
    }

    /// `struct drm_set_client_cap` (`DRM_IOCTL_SET_CLIENT_CAP`, write-only).
    public static final class SetClientCap {
        public static final StructLayout LAYOUT = struct("drm_set_client_cap", u64("capability"), u64("value"));
        public static final VarHandle CAPABILITY = field(LAYOUT, "capability");
        public static final VarHandle VALUE = field(LAYOUT, "value");

        private SetClientCap() {
        }
    }
}
