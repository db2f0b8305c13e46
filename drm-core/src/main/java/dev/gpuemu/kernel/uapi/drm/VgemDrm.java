package dev.gpuemu.kernel.uapi.drm;

import static dev.gpuemu.kernel.uapi.drm.Uapi.field;
import static dev.gpuemu.kernel.uapi.drm.Uapi.struct;
import static dev.gpuemu.kernel.uapi.drm.Uapi.u32;

import dev.gpuemu.kernel.uapi.drm.DrmIoctls.DrmIoctl;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.util.List;

/// The vgem uAPI (`vgem_drm.h`): two driver ioctls at `DRM_COMMAND_BASE + 1` and `+ 2`
/// (`DRM_COMMAND_BASE + 0` is unused, as in Linux).
///
/// ## Thread safety
/// Constants only.
public final class VgemDrm {
    /// `VGEM_FENCE_WRITE`: the only valid `flags` bit of `FENCE_ATTACH`.
    public static final int VGEM_FENCE_WRITE = 1;

    private VgemDrm() {
    }

    /// `struct drm_vgem_fence_attach` (16 bytes): `handle`, `flags` in; `out_fence` out; `pad` 0.
    public static final class FenceAttach {
        public static final StructLayout LAYOUT = struct("drm_vgem_fence_attach",
                u32("handle"), u32("flags"), u32("out_fence"), u32("pad"));
        public static final VarHandle HANDLE = field(LAYOUT, "handle");
        public static final VarHandle FLAGS = field(LAYOUT, "flags");
        public static final VarHandle OUT_FENCE = field(LAYOUT, "out_fence");
        public static final VarHandle PAD = field(LAYOUT, "pad");

        private FenceAttach() {
        }
    }

    /// `struct drm_vgem_fence_signal` (8 bytes): `fence` id and `error` (must be 0).
    public static final class FenceSignal {
        public static final StructLayout LAYOUT = struct("drm_vgem_fence_signal", u32("fence"), u32("error"));
        public static final VarHandle FENCE = field(LAYOUT, "fence");
        public static final VarHandle ERROR = field(LAYOUT, "error");

        private FenceSignal() {
        }
    }

    public static final int FENCE_ATTACH_NR = DrmIoctls.DRM_COMMAND_BASE + 0x1;
    public static final int FENCE_SIGNAL_NR = DrmIoctls.DRM_COMMAND_BASE + 0x2;
    /// `DRM_IOCTL_VGEM_FENCE_ATTACH`.
    public static final int FENCE_ATTACH = DrmIoctls.drmIowr(FENCE_ATTACH_NR, FenceAttach.LAYOUT);
    /// `DRM_IOCTL_VGEM_FENCE_SIGNAL` (`DRM_IOW`: nothing is copied back).
    public static final int FENCE_SIGNAL = DrmIoctls.drmIow(FENCE_SIGNAL_NR, FenceSignal.LAYOUT);

    /// Both vgem ioctls.
    public static final List<DrmIoctl> ALL = List.of(
            new DrmIoctl("DRM_IOCTL_VGEM_FENCE_ATTACH", FENCE_ATTACH, FenceAttach.LAYOUT),
            new DrmIoctl("DRM_IOCTL_VGEM_FENCE_SIGNAL", FENCE_SIGNAL, FenceSignal.LAYOUT));
}
