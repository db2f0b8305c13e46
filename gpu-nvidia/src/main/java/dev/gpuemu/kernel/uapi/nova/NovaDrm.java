package dev.gpuemu.kernel.uapi.nova;

import static dev.gpuemu.kernel.uapi.nova.NovaUapi.field;
import static dev.gpuemu.kernel.uapi.nova.NovaUapi.struct;
import static dev.gpuemu.kernel.uapi.nova.NovaUapi.u32;
import static dev.gpuemu.kernel.uapi.nova.NovaUapi.u64;

import dev.gpuemu.kernel.uapi.drm.DrmIoctls;
import dev.gpuemu.kernel.uapi.drm.DrmIoctls.DrmIoctl;
import dev.gpuemu.kernel.uapi.drm.UapiStruct;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.util.List;

/// The nova uAPI (`include/uapi/drm/nova_drm.h`, explicitly unstable upstream) and the numbers of
/// gpuemu's extension, whose structs live in [NovaGpuemu].
///
/// Upstream: three ioctls, `DRM_IOWR(DRM_COMMAND_BASE + nr, 16-byte struct)`:
///
/// | nr | ioctl | struct | flags |
/// |---|---|---|---|
/// | 0x00 | `DRM_IOCTL_NOVA_GETPARAM` (0xC0106440) | [GetParam] | RENDER_ALLOW |
/// | 0x01 | `DRM_IOCTL_NOVA_GEM_CREATE` (0xC0106441) | [GemCreate] | AUTH \| RENDER_ALLOW |
/// | 0x02 | `DRM_IOCTL_NOVA_GEM_INFO` (0xC0106442) | [GemInfo] | AUTH \| RENDER_ALLOW |
///
/// Extension (this project's, not upstream's): `DRM_IOCTL_NOVA_GPUEMU_*` at 0x03.. (see
/// [NovaGpuemu] and docs/devices/nvidia-ga102.md ("nova-drm and its uAPI")). Every extension ioctl is `DRM_IOWR`,
/// `AUTH | RENDER_ALLOW`. Constants keep their C names.
///
/// ## Thread safety
/// Constants only.
public final class NovaDrm {
    private NovaDrm() {
    }

    // ---- upstream ioctl ids -------------------------------------------------------------------
    public static final int DRM_NOVA_GETPARAM = 0x00;
    public static final int DRM_NOVA_GEM_CREATE = 0x01;
    public static final int DRM_NOVA_GEM_INFO = 0x02;

    // ---- gpuemu extension ioctl ids (after upstream's) ----------------------------------------
    public static final int DRM_NOVA_GPUEMU_GEM_CREATE = 0x03;
    public static final int DRM_NOVA_GPUEMU_GEM_MMAP_OFFSET = 0x04;
    public static final int DRM_NOVA_GPUEMU_VM_CREATE = 0x05;
    public static final int DRM_NOVA_GPUEMU_VM_DESTROY = 0x06;
    public static final int DRM_NOVA_GPUEMU_VM_BIND = 0x07;
    public static final int DRM_NOVA_GPUEMU_CHANNEL_CREATE = 0x08;
    public static final int DRM_NOVA_GPUEMU_CHANNEL_DESTROY = 0x09;
    public static final int DRM_NOVA_GPUEMU_SUBMIT = 0x0A;
    public static final int DRM_NOVA_GPUEMU_CHANNEL_GET_STATE = 0x0B;

    /// `NOVA_GETPARAM_VRAM_BAR_SIZE`: the length of the parent PCI device's BAR1.
    public static final long NOVA_GETPARAM_VRAM_BAR_SIZE = 0x1;

    /// `struct drm_nova_getparam` (16 bytes): `param` in, `value` out.
    public static final class GetParam {
        public static final StructLayout LAYOUT = struct("drm_nova_getparam", u64("param"), u64("value"));
        public static final VarHandle PARAM = field(LAYOUT, "param");
        public static final VarHandle VALUE = field(LAYOUT, "value");

        private GetParam() {
        }
    }

    /// `struct drm_nova_gem_create` (16 bytes): `handle` out, `pad` (not checked upstream),
    /// `size` in (rounded up to 4 KiB by the kernel; the rounded size is not written back).
    public static final class GemCreate {
        public static final StructLayout LAYOUT = struct("drm_nova_gem_create",
                u32("handle"), u32("pad"), u64("size"));
        public static final VarHandle HANDLE = field(LAYOUT, "handle");
        public static final VarHandle PAD = field(LAYOUT, "pad");
        public static final VarHandle SIZE = field(LAYOUT, "size");

        private GemCreate() {
        }
    }

    /// `struct drm_nova_gem_info` (16 bytes): `handle` in, `pad`, `size` out.
    public static final class GemInfo {
        public static final StructLayout LAYOUT = struct("drm_nova_gem_info",
                u32("handle"), u32("pad"), u64("size"));
        public static final VarHandle HANDLE = field(LAYOUT, "handle");
        public static final VarHandle PAD = field(LAYOUT, "pad");
        public static final VarHandle SIZE = field(LAYOUT, "size");

        private GemInfo() {
        }
    }

    // ---- ioctl numbers ---------------------------------------------------------------------------
    public static final int GETPARAM = iowr(DRM_NOVA_GETPARAM, GetParam.LAYOUT);
    public static final int GEM_CREATE = iowr(DRM_NOVA_GEM_CREATE, GemCreate.LAYOUT);
    public static final int GEM_INFO = iowr(DRM_NOVA_GEM_INFO, GemInfo.LAYOUT);
    public static final int GPUEMU_GEM_CREATE = iowr(DRM_NOVA_GPUEMU_GEM_CREATE, NovaGpuemu.GemCreate.LAYOUT);
    public static final int GPUEMU_GEM_MMAP_OFFSET = iowr(DRM_NOVA_GPUEMU_GEM_MMAP_OFFSET,
            NovaGpuemu.GemMmapOffset.LAYOUT);
    public static final int GPUEMU_VM_CREATE = iowr(DRM_NOVA_GPUEMU_VM_CREATE, NovaGpuemu.VmCreate.LAYOUT);
    public static final int GPUEMU_VM_DESTROY = iowr(DRM_NOVA_GPUEMU_VM_DESTROY, NovaGpuemu.VmDestroy.LAYOUT);
    public static final int GPUEMU_VM_BIND = iowr(DRM_NOVA_GPUEMU_VM_BIND, NovaGpuemu.VmBind.LAYOUT);
    public static final int GPUEMU_CHANNEL_CREATE = iowr(DRM_NOVA_GPUEMU_CHANNEL_CREATE,
            NovaGpuemu.ChannelCreate.LAYOUT);
    public static final int GPUEMU_CHANNEL_DESTROY = iowr(DRM_NOVA_GPUEMU_CHANNEL_DESTROY,
            NovaGpuemu.ChannelDestroy.LAYOUT);
    public static final int GPUEMU_SUBMIT = iowr(DRM_NOVA_GPUEMU_SUBMIT, NovaGpuemu.Submit.LAYOUT);
    public static final int GPUEMU_CHANNEL_GET_STATE = iowr(DRM_NOVA_GPUEMU_CHANNEL_GET_STATE,
            NovaGpuemu.ChannelGetState.LAYOUT);

    /// Every nova ioctl in number order: upstream's three, then the extension.
    public static final List<DrmIoctl> ALL = List.of(
            new DrmIoctl("DRM_IOCTL_NOVA_GETPARAM", GETPARAM, GetParam.LAYOUT),
            new DrmIoctl("DRM_IOCTL_NOVA_GEM_CREATE", GEM_CREATE, GemCreate.LAYOUT),
            new DrmIoctl("DRM_IOCTL_NOVA_GEM_INFO", GEM_INFO, GemInfo.LAYOUT),
            new DrmIoctl("DRM_IOCTL_NOVA_GPUEMU_GEM_CREATE", GPUEMU_GEM_CREATE, NovaGpuemu.GemCreate.LAYOUT),
            new DrmIoctl("DRM_IOCTL_NOVA_GPUEMU_GEM_MMAP_OFFSET", GPUEMU_GEM_MMAP_OFFSET,
                    NovaGpuemu.GemMmapOffset.LAYOUT),
            new DrmIoctl("DRM_IOCTL_NOVA_GPUEMU_VM_CREATE", GPUEMU_VM_CREATE, NovaGpuemu.VmCreate.LAYOUT),
            new DrmIoctl("DRM_IOCTL_NOVA_GPUEMU_VM_DESTROY", GPUEMU_VM_DESTROY, NovaGpuemu.VmDestroy.LAYOUT),
            new DrmIoctl("DRM_IOCTL_NOVA_GPUEMU_VM_BIND", GPUEMU_VM_BIND, NovaGpuemu.VmBind.LAYOUT),
            new DrmIoctl("DRM_IOCTL_NOVA_GPUEMU_CHANNEL_CREATE", GPUEMU_CHANNEL_CREATE,
                    NovaGpuemu.ChannelCreate.LAYOUT),
            new DrmIoctl("DRM_IOCTL_NOVA_GPUEMU_CHANNEL_DESTROY", GPUEMU_CHANNEL_DESTROY,
                    NovaGpuemu.ChannelDestroy.LAYOUT),
            new DrmIoctl("DRM_IOCTL_NOVA_GPUEMU_SUBMIT", GPUEMU_SUBMIT, NovaGpuemu.Submit.LAYOUT),
            new DrmIoctl("DRM_IOCTL_NOVA_GPUEMU_CHANNEL_GET_STATE", GPUEMU_CHANNEL_GET_STATE,
                    NovaGpuemu.ChannelGetState.LAYOUT));

    /// Every nova struct by C name, upstream's first, each with the ioctl that carries it.
    public static final List<UapiStruct> STRUCTS = List.of(
            new UapiStruct("drm_nova_getparam", GetParam.LAYOUT, GETPARAM),
            new UapiStruct("drm_nova_gem_create", GemCreate.LAYOUT, GEM_CREATE),
            new UapiStruct("drm_nova_gem_info", GemInfo.LAYOUT, GEM_INFO),
            new UapiStruct("drm_nova_gpuemu_gem_create", NovaGpuemu.GemCreate.LAYOUT, GPUEMU_GEM_CREATE),
            new UapiStruct("drm_nova_gpuemu_gem_mmap_offset", NovaGpuemu.GemMmapOffset.LAYOUT,
                    GPUEMU_GEM_MMAP_OFFSET),
            new UapiStruct("drm_nova_gpuemu_vm_create", NovaGpuemu.VmCreate.LAYOUT, GPUEMU_VM_CREATE),
            new UapiStruct("drm_nova_gpuemu_vm_destroy", NovaGpuemu.VmDestroy.LAYOUT, GPUEMU_VM_DESTROY),
            new UapiStruct("drm_nova_gpuemu_vm_bind", NovaGpuemu.VmBind.LAYOUT, GPUEMU_VM_BIND),
            new UapiStruct("drm_nova_gpuemu_channel_create", NovaGpuemu.ChannelCreate.LAYOUT,
                    GPUEMU_CHANNEL_CREATE),
            new UapiStruct("drm_nova_gpuemu_channel_destroy", NovaGpuemu.ChannelDestroy.LAYOUT,
                    GPUEMU_CHANNEL_DESTROY),
            new UapiStruct("drm_nova_gpuemu_submit", NovaGpuemu.Submit.LAYOUT, GPUEMU_SUBMIT),
            new UapiStruct("drm_nova_gpuemu_channel_get_state", NovaGpuemu.ChannelGetState.LAYOUT,
                    GPUEMU_CHANNEL_GET_STATE));

    private static int iowr(int id, StructLayout arg) {
        return DrmIoctls.drmIowr(DrmIoctls.DRM_COMMAND_BASE + id, arg);
    }
}
