package dev.gpuemu.kernel.uapi.panthor;

import static dev.gpuemu.kernel.uapi.panthor.PanthorUapi.field;
import static dev.gpuemu.kernel.uapi.panthor.PanthorUapi.member;
import static dev.gpuemu.kernel.uapi.panthor.PanthorUapi.struct;
import static dev.gpuemu.kernel.uapi.panthor.PanthorUapi.u32;
import static dev.gpuemu.kernel.uapi.panthor.PanthorUapi.u64;

import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/// GPU virtual address spaces: `VM_CREATE`, `VM_DESTROY`, `VM_BIND` (with its
/// `drm_panthor_vm_bind_op` array elements) and `VM_GET_STATE`.
///
/// ## Thread safety
/// Constants only.
public final class PanthorVm {
    private PanthorVm() {
    }

    /// `struct drm_panthor_vm_create` (16 bytes): `flags` MBZ, `id` out, `user_va_range` in/out
    /// (0: the kernel picks and returns it).
    public static final class Create {
        public static final StructLayout LAYOUT = struct("drm_panthor_vm_create",
                u32("flags"), u32("id"), u64("user_va_range"));
        public static final VarHandle FLAGS = field(LAYOUT, "flags");
        public static final VarHandle ID = field(LAYOUT, "id");
        public static final VarHandle USER_VA_RANGE = field(LAYOUT, "user_va_range");

        private Create() {
        }
    }

    /// `struct drm_panthor_vm_destroy` (8 bytes).
    public static final class Destroy {
        public static final StructLayout LAYOUT = struct("drm_panthor_vm_destroy", u32("id"), u32("pad"));
        public static final VarHandle ID = field(LAYOUT, "id");
        public static final VarHandle PAD = field(LAYOUT, "pad");

        private Destroy() {
        }
    }

    /// `struct drm_panthor_vm_bind_op` (48 bytes): `flags` (`DRM_PANTHOR_VM_BIND_OP_*`, type in
    /// bits 31:28), `bo_handle` and `bo_offset` (MBZ unless MAP), `va`, `size`, and `syncs`, an
    /// obj_array of `drm_panthor_sync_op` (must be empty unless the bind is ASYNC).
    public static final class BindOp {
        public static final StructLayout LAYOUT = struct("drm_panthor_vm_bind_op",
                u32("flags"), u32("bo_handle"), u64("bo_offset"), u64("va"), u64("size"),
                member(PanthorDrm.ObjArray.LAYOUT, "syncs"));
        public static final VarHandle FLAGS = field(LAYOUT, "flags");
        public static final VarHandle BO_HANDLE = field(LAYOUT, "bo_handle");
        public static final VarHandle BO_OFFSET = field(LAYOUT, "bo_offset");
        public static final VarHandle VA = field(LAYOUT, "va");
        public static final VarHandle SIZE = field(LAYOUT, "size");
        public static final VarHandle SYNCS_STRIDE = field(LAYOUT, "syncs", "stride");
        public static final VarHandle SYNCS_COUNT = field(LAYOUT, "syncs", "count");
        public static final VarHandle SYNCS_ARRAY = field(LAYOUT, "syncs", "array");

        private BindOp() {
        }
    }

    /// `struct drm_panthor_vm_bind` (24 bytes): `vm_id`, `flags` (`DRM_PANTHOR_VM_BIND_ASYNC`),
    /// `ops`, an obj_array of `drm_panthor_vm_bind_op`.
    public static final class Bind {
        public static final StructLayout LAYOUT = struct("drm_panthor_vm_bind",
                u32("vm_id"), u32("flags"), member(PanthorDrm.ObjArray.LAYOUT, "ops"));
        public static final VarHandle VM_ID = field(LAYOUT, "vm_id");
        public static final VarHandle FLAGS = field(LAYOUT, "flags");
        public static final VarHandle OPS_STRIDE = field(LAYOUT, "ops", "stride");
        public static final VarHandle OPS_COUNT = field(LAYOUT, "ops", "count");
        public static final VarHandle OPS_ARRAY = field(LAYOUT, "ops", "array");

        private Bind() {
        }
    }

    /// `struct drm_panthor_vm_get_state` (8 bytes): `vm_id` in, `state`
    /// (`DRM_PANTHOR_VM_STATE_*`) out.
    public static final class GetState {
        public static final StructLayout LAYOUT = struct("drm_panthor_vm_get_state", u32("vm_id"), u32("state"));
        public static final VarHandle VM_ID = field(LAYOUT, "vm_id");
        public static final VarHandle STATE = field(LAYOUT, "state");

        private GetState() {
        }
    }
}
