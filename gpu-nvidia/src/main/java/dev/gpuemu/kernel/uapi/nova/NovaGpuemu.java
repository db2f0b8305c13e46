package dev.gpuemu.kernel.uapi.nova;

import static dev.gpuemu.kernel.uapi.nova.NovaUapi.field;
import static dev.gpuemu.kernel.uapi.nova.NovaUapi.struct;
import static dev.gpuemu.kernel.uapi.nova.NovaUapi.u32;
import static dev.gpuemu.kernel.uapi.nova.NovaUapi.u64;

import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/// gpuemu's extension of the nova uAPI (not upstream: upstream nova has no objects with backing
/// store, VMs or submission yet). Numbered after upstream's ioctls ([NovaDrm]`.DRM_NOVA_GPUEMU_*`),
/// every name carries `GPUEMU`. Every `pad` and every unused flag bit must be zero (`EINVAL`),
/// unlike upstream's unchecked `pad`.
///
/// Model: objects live in system memory (shmem, CPU-mappable) or in VRAM (not CPU-mappable);
/// each file owns explicit GPU VMs (ids 1..) whose user range is
/// `[NOVA_GPUEMU_VA_START, NOVA_GPUEMU_VA_END)`; the range above is the kernel's. Channels run
/// on one VM; a submit names a pushbuffer *object* (+ offset and length) which the kernel copies
/// and checks, never a GPU or physical address of its own. Userspace never names physical
/// addresses.
///
/// ## Thread safety
/// Constants only.
public final class NovaGpuemu {
    private NovaGpuemu() {
    }

    /// `NOVA_GPUEMU_GEM_CREATE_VRAM`: place the object in VRAM (default: system memory).
    public static final int NOVA_GPUEMU_GEM_CREATE_VRAM = 1 << 0;
    /// `NOVA_GPUEMU_VM_BIND_OP_MAP` / `_UNMAP`.
    public static final int NOVA_GPUEMU_VM_BIND_OP_MAP = 0;
    public static final int NOVA_GPUEMU_VM_BIND_OP_UNMAP = 1;
    /// `NOVA_GPUEMU_VM_BIND_READ_ONLY`: GPU writes through the mapping fault.
    public static final int NOVA_GPUEMU_VM_BIND_READ_ONLY = 1 << 0;
    /// First user GPU VA (the first 1 MiB is never mapped, so a null VA faults).
    public static final long NOVA_GPUEMU_VA_START = 1L << 20;
    /// End of the user GPU VA range: 2^40 - 8 GiB. Above it the kernel keeps its shadow
    /// pushbuffers (4 GiB) and nova-core its channel rings and semaphores (the last 4 GiB below
    /// 2^40: GPFIFO entries address 40 bits); VAs from 2^40 up are not offered.
    public static final long NOVA_GPUEMU_VA_END = 0xFE_0000_0000L;
    /// `NOVA_GPUEMU_CHANNEL_STATE_*` of `CHANNEL_GET_STATE`.
    public static final int NOVA_GPUEMU_CHANNEL_STATE_ACTIVE = 0;
    /// The channel stopped on an error (MMU fault, invalid method...): its jobs' fences signalled
    /// with an error, later submits fail with `EIO`; destroy it.
    public static final int NOVA_GPUEMU_CHANNEL_STATE_FAULTED = 1;
    /// Longest pushbuffer one submit takes, in dwords (the GPFIFO entry's LENGTH field is 21 bits).
    public static final int NOVA_GPUEMU_SUBMIT_MAX_DWORDS = (1 << 21) - 1;
    /// Most syncobj handles in one wait or signal array.
    public static final int NOVA_GPUEMU_SUBMIT_MAX_SYNCS = 64;

    /// `struct drm_nova_gpuemu_gem_create` (16 bytes): `size` in, rounded up to 4 KiB out;
    /// `flags` (`NOVA_GPUEMU_GEM_CREATE_VRAM`); `handle` out.
    public static final class GemCreate {
        public static final StructLayout LAYOUT = struct("drm_nova_gpuemu_gem_create",
                u64("size"), u32("flags"), u32("handle"));
        public static final VarHandle SIZE = field(LAYOUT, "size");
        public static final VarHandle FLAGS = field(LAYOUT, "flags");
        public static final VarHandle HANDLE = field(LAYOUT, "handle");

        private GemCreate() {
        }
    }

    /// `struct drm_nova_gpuemu_gem_mmap_offset` (16 bytes): `handle` in, `pad` 0, `offset` out
    /// (the fake offset for `mmap` on the DRM fd).
    public static final class GemMmapOffset {
        public static final StructLayout LAYOUT = struct("drm_nova_gpuemu_gem_mmap_offset",
                u32("handle"), u32("pad"), u64("offset"));
        public static final VarHandle HANDLE = field(LAYOUT, "handle");
        public static final VarHandle PAD = field(LAYOUT, "pad");
        public static final VarHandle OFFSET = field(LAYOUT, "offset");

        private GemMmapOffset() {
        }
    }

    /// `struct drm_nova_gpuemu_vm_create` (24 bytes): `flags` 0; `id` out; `va_start`/`va_end`
    /// out (the user range).
    public static final class VmCreate {
        public static final StructLayout LAYOUT = struct("drm_nova_gpuemu_vm_create",
                u32("flags"), u32("id"), u64("va_start"), u64("va_end"));
        public static final VarHandle FLAGS = field(LAYOUT, "flags");
        public static final VarHandle ID = field(LAYOUT, "id");
        public static final VarHandle VA_START = field(LAYOUT, "va_start");
        public static final VarHandle VA_END = field(LAYOUT, "va_end");

        private VmCreate() {
        }
    }

    /// `struct drm_nova_gpuemu_vm_destroy` (8 bytes): `id`, `pad` 0.
    public static final class VmDestroy {
        public static final StructLayout LAYOUT = struct("drm_nova_gpuemu_vm_destroy", u32("id"), u32("pad"));
        public static final VarHandle ID = field(LAYOUT, "id");
        public static final VarHandle PAD = field(LAYOUT, "pad");

        private VmDestroy() {
        }
    }

    /// `struct drm_nova_gpuemu_vm_bind` (40 bytes): `vm_id`; `op` (MAP/UNMAP); `flags`
    /// (`READ_ONLY`, MAP only); `handle` (MAP; 0 for UNMAP); `offset` into the object (MAP; 0 for
    /// UNMAP); `va`; `range` (bytes). All of `offset`, `va`, `range` 4 KiB aligned.
    public static final class VmBind {
        public static final StructLayout LAYOUT = struct("drm_nova_gpuemu_vm_bind",
                u32("vm_id"), u32("op"), u32("flags"), u32("handle"), u64("offset"), u64("va"), u64("range"));
        public static final VarHandle VM_ID = field(LAYOUT, "vm_id");
        public static final VarHandle OP = field(LAYOUT, "op");
        public static final VarHandle FLAGS = field(LAYOUT, "flags");
        public static final VarHandle HANDLE = field(LAYOUT, "handle");
        public static final VarHandle OFFSET = field(LAYOUT, "offset");
        public static final VarHandle VA = field(LAYOUT, "va");
        public static final VarHandle RANGE = field(LAYOUT, "range");

        private VmBind() {
        }
    }

    /// `struct drm_nova_gpuemu_channel_create` (16 bytes): `vm_id` in; `flags` 0; `channel` out;
    /// `pad` 0.
    public static final class ChannelCreate {
        public static final StructLayout LAYOUT = struct("drm_nova_gpuemu_channel_create",
                u32("vm_id"), u32("flags"), u32("channel"), u32("pad"));
        public static final VarHandle VM_ID = field(LAYOUT, "vm_id");
        public static final VarHandle FLAGS = field(LAYOUT, "flags");
        public static final VarHandle CHANNEL = field(LAYOUT, "channel");
        public static final VarHandle PAD = field(LAYOUT, "pad");

        private ChannelCreate() {
        }
    }

    /// `struct drm_nova_gpuemu_channel_destroy` (8 bytes): `channel`, `pad` 0.
    public static final class ChannelDestroy {
        public static final StructLayout LAYOUT = struct("drm_nova_gpuemu_channel_destroy",
                u32("channel"), u32("pad"));
        public static final VarHandle CHANNEL = field(LAYOUT, "channel");
        public static final VarHandle PAD = field(LAYOUT, "pad");

        private ChannelDestroy() {
        }
    }

    /// `struct drm_nova_gpuemu_submit` (48 bytes): `channel`; `handle` of the pushbuffer object
    /// (system memory); `offset` (bytes, 4-aligned) and `dwords` of the pushbuffer in it; `flags`
    /// 0; `waits` / `signals`: user pointers to arrays of `__u32` syncobj handles, of
    /// `wait_count` / `signal_count` entries.
    public static final class Submit {
        public static final StructLayout LAYOUT = struct("drm_nova_gpuemu_submit",
                u32("channel"), u32("handle"), u64("offset"), u32("dwords"), u32("flags"),
                u64("waits"), u64("signals"), u32("wait_count"), u32("signal_count"));
        public static final VarHandle CHANNEL = field(LAYOUT, "channel");
        public static final VarHandle HANDLE = field(LAYOUT, "handle");
        public static final VarHandle OFFSET = field(LAYOUT, "offset");
        public static final VarHandle DWORDS = field(LAYOUT, "dwords");
        public static final VarHandle FLAGS = field(LAYOUT, "flags");
        public static final VarHandle WAITS = field(LAYOUT, "waits");
        public static final VarHandle SIGNALS = field(LAYOUT, "signals");
        public static final VarHandle WAIT_COUNT = field(LAYOUT, "wait_count");
        public static final VarHandle SIGNAL_COUNT = field(LAYOUT, "signal_count");

        private Submit() {
        }
    }

    /// `struct drm_nova_gpuemu_channel_get_state` (24 bytes): `channel` in; `state` out
    /// (`NOVA_GPUEMU_CHANNEL_STATE_*`); `fault_va` out (the faulting GPU VA, 0 without a fault);
    /// `error` out (the host's channel error code, 0 none); `pad` 0.
    public static final class ChannelGetState {
        public static final StructLayout LAYOUT = struct("drm_nova_gpuemu_channel_get_state",
                u32("channel"), u32("state"), u64("fault_va"), u32("error"), u32("pad"));
        public static final VarHandle CHANNEL = field(LAYOUT, "channel");
        public static final VarHandle STATE = field(LAYOUT, "state");
        public static final VarHandle FAULT_VA = field(LAYOUT, "fault_va");
        public static final VarHandle ERROR = field(LAYOUT, "error");
        public static final VarHandle PAD = field(LAYOUT, "pad");

        private ChannelGetState() {
        }
    }
}
