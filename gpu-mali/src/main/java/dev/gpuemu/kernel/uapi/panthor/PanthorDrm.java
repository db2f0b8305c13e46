package dev.gpuemu.kernel.uapi.panthor;

import static dev.gpuemu.kernel.uapi.panthor.PanthorUapi.field;
import static dev.gpuemu.kernel.uapi.panthor.PanthorUapi.struct;
import static dev.gpuemu.kernel.uapi.panthor.PanthorUapi.u32;
import static dev.gpuemu.kernel.uapi.panthor.PanthorUapi.u64;

import dev.gpuemu.kernel.uapi.drm.DrmIoctls;
import dev.gpuemu.kernel.uapi.drm.DrmIoctls.DrmIoctl;
import dev.gpuemu.kernel.uapi.drm.UapiStruct;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.util.List;

/// The panthor uAPI (`include/uapi/drm/panthor_drm.h`, driver 1.5): ioctl ids and numbers, every
/// flag and enum constant, the two shared indirect structs (`drm_panthor_obj_array`,
/// `drm_panthor_sync_op`) and `drm_panthor_set_user_mmio_offset`. The other argument structs live
/// by topic in [PanthorQuery], [PanthorVm], [PanthorBo], [PanthorGroup] and [PanthorTiler].
///
/// Every ioctl is `DRM_IOWR(DRM_COMMAND_BASE + id, struct)`. Constants keep their C names.
///
/// ## Thread safety
/// Constants only.
public final class PanthorDrm {
    private PanthorDrm() {
    }

    // ---- enum drm_panthor_ioctl_id -----------------------------------------------------------
    public static final int DRM_PANTHOR_DEV_QUERY = 0;
    public static final int DRM_PANTHOR_VM_CREATE = 1;
    public static final int DRM_PANTHOR_VM_DESTROY = 2;
    public static final int DRM_PANTHOR_VM_BIND = 3;
    public static final int DRM_PANTHOR_VM_GET_STATE = 4;
    public static final int DRM_PANTHOR_BO_CREATE = 5;
    public static final int DRM_PANTHOR_BO_MMAP_OFFSET = 6;
    public static final int DRM_PANTHOR_GROUP_CREATE = 7;
    public static final int DRM_PANTHOR_GROUP_DESTROY = 8;
    public static final int DRM_PANTHOR_GROUP_SUBMIT = 9;
    public static final int DRM_PANTHOR_GROUP_GET_STATE = 10;
    public static final int DRM_PANTHOR_TILER_HEAP_CREATE = 11;
    public static final int DRM_PANTHOR_TILER_HEAP_DESTROY = 12;
    /// Since 1.4.
    public static final int DRM_PANTHOR_BO_SET_LABEL = 13;
    /// Since 1.5.
    public static final int DRM_PANTHOR_SET_USER_MMIO_OFFSET = 14;

    // ---- user MMIO (mmap offsets of the LATEST_FLUSH_ID page) -------------------------------
    public static final long DRM_PANTHOR_USER_MMIO_OFFSET_32BIT = 1L << 43;
    public static final long DRM_PANTHOR_USER_MMIO_OFFSET_64BIT = 1L << 56;
    /// `DRM_PANTHOR_USER_MMIO_OFFSET` for the emulated 64-bit userspace.
    public static final long DRM_PANTHOR_USER_MMIO_OFFSET = DRM_PANTHOR_USER_MMIO_OFFSET_64BIT;
    public static final long DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET = DRM_PANTHOR_USER_MMIO_OFFSET | 0;

    // ---- enum drm_panthor_sync_op_flags -------------------------------------------------------
    public static final int DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK = 0xff;
    public static final int DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ = 0;
    public static final int DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ = 1;
    public static final int DRM_PANTHOR_SYNC_OP_WAIT = 0;
    public static final int DRM_PANTHOR_SYNC_OP_SIGNAL = 1 << 31;

    // ---- enum drm_panthor_dev_query_type ------------------------------------------------------
    public static final int DRM_PANTHOR_DEV_QUERY_GPU_INFO = 0;
    public static final int DRM_PANTHOR_DEV_QUERY_CSIF_INFO = 1;
    /// Since 1.1.
    public static final int DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO = 2;
    /// Since 1.2.
    public static final int DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO = 3;

    // ---- enum drm_panthor_vm_bind_op_flags ----------------------------------------------------
    public static final int DRM_PANTHOR_VM_BIND_OP_MAP_READONLY = 1 << 0;
    public static final int DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC = 1 << 1;
    public static final int DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED = 1 << 2;
    public static final int DRM_PANTHOR_VM_BIND_OP_TYPE_MASK = 0xf << 28;
    public static final int DRM_PANTHOR_VM_BIND_OP_TYPE_MAP = 0 << 28;
    public static final int DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP = 1 << 28;
    /// Only valid in an ASYNC bind with at least one sync op.
    public static final int DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY = 2 << 28;

    // ---- enum drm_panthor_vm_bind_flags / drm_panthor_vm_state --------------------------------
    public static final int DRM_PANTHOR_VM_BIND_ASYNC = 1 << 0;
    public static final int DRM_PANTHOR_VM_STATE_USABLE = 0;
    public static final int DRM_PANTHOR_VM_STATE_UNUSABLE = 1;

    // ---- enum drm_panthor_bo_flags -------------------------------------------------------------
    public static final int DRM_PANTHOR_BO_NO_MMAP = 1 << 0;
    /// Longest BO label, NUL included (`PANTHOR_BO_LABEL_MAXLEN`, a driver constant the uAPI
    /// documents: "Length cannot be greater than 4096").
    public static final int PANTHOR_BO_LABEL_MAXLEN = 4096;

    // ---- enum drm_panthor_group_priority -------------------------------------------------------
    public static final int PANTHOR_GROUP_PRIORITY_LOW = 0;
    public static final int PANTHOR_GROUP_PRIORITY_MEDIUM = 1;
    /// Needs CAP_SYS_NICE or DRM master.
    public static final int PANTHOR_GROUP_PRIORITY_HIGH = 2;
    /// Needs CAP_SYS_NICE or DRM master. Since 1.2.
    public static final int PANTHOR_GROUP_PRIORITY_REALTIME = 3;

    // ---- enum drm_panthor_group_state_flags ----------------------------------------------------
    public static final int DRM_PANTHOR_GROUP_STATE_TIMEDOUT = 1 << 0;
    public static final int DRM_PANTHOR_GROUP_STATE_FATAL_FAULT = 1 << 1;
    /// Since 1.3.
    public static final int DRM_PANTHOR_GROUP_STATE_INNOCENT = 1 << 2;

    // ---- drm_panthor_gpu_info field decoders (the header's macros) -----------------------------
    public static int archMajor(int gpuId) {
        return gpuId >>> 28;
    }

    public static int archMinor(int gpuId) {
        return (gpuId >>> 24) & 0xf;
    }

    public static int archRev(int gpuId) {
        return (gpuId >>> 20) & 0xf;
    }

    public static int productMajor(int gpuId) {
        return (gpuId >>> 16) & 0xf;
    }

    public static int versionMajor(int gpuId) {
        return (gpuId >>> 12) & 0xf;
    }

    public static int versionMinor(int gpuId) {
        return (gpuId >>> 4) & 0xff;
    }

    public static int versionStatus(int gpuId) {
        return gpuId & 0xf;
    }

    public static int cshwMajor(int csfId) {
        return (csfId >>> 26) & 0x3f;
    }

    public static int cshwMinor(int csfId) {
        return (csfId >>> 20) & 0x3f;
    }

    public static int cshwRev(int csfId) {
        return (csfId >>> 16) & 0xf;
    }

    public static int mcuMajor(int csfId) {
        return (csfId >>> 10) & 0x3f;
    }

    public static int mcuMinor(int csfId) {
        return (csfId >>> 4) & 0x3f;
    }

    public static int mcuRev(int csfId) {
        return csfId & 0xf;
    }

    /// `DRM_PANTHOR_MMU_VA_BITS(mmu_features)`.
    public static int mmuVaBits(int mmuFeatures) {
        return mmuFeatures & 0xff;
    }

    // ---- shared structs ------------------------------------------------------------------------

    /// `struct drm_panthor_obj_array` (16 bytes): `stride` (element size as userspace knows it;
    /// versioning), `count`, `array` (user pointer). Embedded in several argument structs.
    public static final class ObjArray {
        public static final StructLayout LAYOUT = struct("drm_panthor_obj_array",
                u32("stride"), u32("count"), u64("array"));
        public static final VarHandle STRIDE = field(LAYOUT, "stride");
        public static final VarHandle COUNT = field(LAYOUT, "count");
        public static final VarHandle ARRAY = field(LAYOUT, "array");

        private ObjArray() {
        }
    }

    /// `struct drm_panthor_sync_op` (16 bytes): `flags` (handle type | WAIT/SIGNAL), `handle`
    /// (syncobj), `timeline_value` (MBZ unless the handle type is TIMELINE_SYNCOBJ).
    public static final class SyncOp {
        public static final StructLayout LAYOUT = struct("drm_panthor_sync_op",
                u32("flags"), u32("handle"), u64("timeline_value"));
        public static final VarHandle FLAGS = field(LAYOUT, "flags");
        public static final VarHandle HANDLE = field(LAYOUT, "handle");
        public static final VarHandle TIMELINE_VALUE = field(LAYOUT, "timeline_value");

        private SyncOp() {
        }
    }

    /// `struct drm_panthor_set_user_mmio_offset` (8 bytes): `offset`, one of
    /// `DRM_PANTHOR_USER_MMIO_OFFSET_32BIT`/`_64BIT`.
    public static final class SetUserMmioOffset {
        public static final StructLayout LAYOUT = struct("drm_panthor_set_user_mmio_offset", u64("offset"));
        public static final VarHandle OFFSET = field(LAYOUT, "offset");

        private SetUserMmioOffset() {
        }
    }

    // ---- ioctl numbers ---------------------------------------------------------------------------
    public static final int DEV_QUERY = iowr(DRM_PANTHOR_DEV_QUERY, PanthorQuery.DevQuery.LAYOUT);
    public static final int VM_CREATE = iowr(DRM_PANTHOR_VM_CREATE, PanthorVm.Create.LAYOUT);
    public static final int VM_DESTROY = iowr(DRM_PANTHOR_VM_DESTROY, PanthorVm.Destroy.LAYOUT);
    public static final int VM_BIND = iowr(DRM_PANTHOR_VM_BIND, PanthorVm.Bind.LAYOUT);
    public static final int VM_GET_STATE = iowr(DRM_PANTHOR_VM_GET_STATE, PanthorVm.GetState.LAYOUT);
    public static final int BO_CREATE = iowr(DRM_PANTHOR_BO_CREATE, PanthorBo.Create.LAYOUT);
    public static final int BO_MMAP_OFFSET = iowr(DRM_PANTHOR_BO_MMAP_OFFSET, PanthorBo.MmapOffset.LAYOUT);
    public static final int GROUP_CREATE = iowr(DRM_PANTHOR_GROUP_CREATE, PanthorGroup.Create.LAYOUT);
    public static final int GROUP_DESTROY = iowr(DRM_PANTHOR_GROUP_DESTROY, PanthorGroup.Destroy.LAYOUT);
    public static final int GROUP_SUBMIT = iowr(DRM_PANTHOR_GROUP_SUBMIT, PanthorGroup.Submit.LAYOUT);
    public static final int GROUP_GET_STATE = iowr(DRM_PANTHOR_GROUP_GET_STATE, PanthorGroup.GetState.LAYOUT);
    public static final int TILER_HEAP_CREATE = iowr(DRM_PANTHOR_TILER_HEAP_CREATE, PanthorTiler.HeapCreate.LAYOUT);
    public static final int TILER_HEAP_DESTROY = iowr(DRM_PANTHOR_TILER_HEAP_DESTROY, PanthorTiler.HeapDestroy.LAYOUT);
    public static final int BO_SET_LABEL = iowr(DRM_PANTHOR_BO_SET_LABEL, PanthorBo.SetLabel.LAYOUT);
    public static final int SET_USER_MMIO_OFFSET = iowr(DRM_PANTHOR_SET_USER_MMIO_OFFSET, SetUserMmioOffset.LAYOUT);

    /// Every panthor ioctl, in id order.
    public static final List<DrmIoctl> ALL = List.of(
            new DrmIoctl("DRM_IOCTL_PANTHOR_DEV_QUERY", DEV_QUERY, PanthorQuery.DevQuery.LAYOUT),
            new DrmIoctl("DRM_IOCTL_PANTHOR_VM_CREATE", VM_CREATE, PanthorVm.Create.LAYOUT),
            new DrmIoctl("DRM_IOCTL_PANTHOR_VM_DESTROY", VM_DESTROY, PanthorVm.Destroy.LAYOUT),
            new DrmIoctl("DRM_IOCTL_PANTHOR_VM_BIND", VM_BIND, PanthorVm.Bind.LAYOUT),
            new DrmIoctl("DRM_IOCTL_PANTHOR_VM_GET_STATE", VM_GET_STATE, PanthorVm.GetState.LAYOUT),
            new DrmIoctl("DRM_IOCTL_PANTHOR_BO_CREATE", BO_CREATE, PanthorBo.Create.LAYOUT),
            new DrmIoctl("DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET", BO_MMAP_OFFSET, PanthorBo.MmapOffset.LAYOUT),
            new DrmIoctl("DRM_IOCTL_PANTHOR_GROUP_CREATE", GROUP_CREATE, PanthorGroup.Create.LAYOUT),
            new DrmIoctl("DRM_IOCTL_PANTHOR_GROUP_DESTROY", GROUP_DESTROY, PanthorGroup.Destroy.LAYOUT),
            new DrmIoctl("DRM_IOCTL_PANTHOR_GROUP_SUBMIT", GROUP_SUBMIT, PanthorGroup.Submit.LAYOUT),
            new DrmIoctl("DRM_IOCTL_PANTHOR_GROUP_GET_STATE", GROUP_GET_STATE, PanthorGroup.GetState.LAYOUT),
            new DrmIoctl("DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE", TILER_HEAP_CREATE, PanthorTiler.HeapCreate.LAYOUT),
            new DrmIoctl("DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY", TILER_HEAP_DESTROY, PanthorTiler.HeapDestroy.LAYOUT),
            new DrmIoctl("DRM_IOCTL_PANTHOR_BO_SET_LABEL", BO_SET_LABEL, PanthorBo.SetLabel.LAYOUT),
            new DrmIoctl("DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET", SET_USER_MMIO_OFFSET,
                    SetUserMmioOffset.LAYOUT));

    /// Every panthor struct by C name, in header order, each with the ioctl that carries it
    /// (directly, or for indirect objects such as `drm_panthor_sync_op` or
    /// `drm_panthor_gpu_info` the first ioctl whose payload points at them).
    public static final List<UapiStruct> STRUCTS = List.of(
            new UapiStruct("drm_panthor_obj_array", ObjArray.LAYOUT, VM_BIND),
            new UapiStruct("drm_panthor_sync_op", SyncOp.LAYOUT, VM_BIND),
            new UapiStruct("drm_panthor_gpu_info", PanthorQuery.GpuInfo.LAYOUT, DEV_QUERY),
            new UapiStruct("drm_panthor_csif_info", PanthorQuery.CsifInfo.LAYOUT, DEV_QUERY),
            new UapiStruct("drm_panthor_timestamp_info", PanthorQuery.TimestampInfo.LAYOUT, DEV_QUERY),
            new UapiStruct("drm_panthor_group_priorities_info", PanthorQuery.GroupPrioritiesInfo.LAYOUT, DEV_QUERY),
            new UapiStruct("drm_panthor_dev_query", PanthorQuery.DevQuery.LAYOUT, DEV_QUERY),
            new UapiStruct("drm_panthor_vm_create", PanthorVm.Create.LAYOUT, VM_CREATE),
            new UapiStruct("drm_panthor_vm_destroy", PanthorVm.Destroy.LAYOUT, VM_DESTROY),
            new UapiStruct("drm_panthor_vm_bind_op", PanthorVm.BindOp.LAYOUT, VM_BIND),
            new UapiStruct("drm_panthor_vm_bind", PanthorVm.Bind.LAYOUT, VM_BIND),
            new UapiStruct("drm_panthor_vm_get_state", PanthorVm.GetState.LAYOUT, VM_GET_STATE),
            new UapiStruct("drm_panthor_bo_create", PanthorBo.Create.LAYOUT, BO_CREATE),
            new UapiStruct("drm_panthor_bo_mmap_offset", PanthorBo.MmapOffset.LAYOUT, BO_MMAP_OFFSET),
            new UapiStruct("drm_panthor_queue_create", PanthorGroup.QueueCreate.LAYOUT, GROUP_CREATE),
            new UapiStruct("drm_panthor_group_create", PanthorGroup.Create.LAYOUT, GROUP_CREATE),
            new UapiStruct("drm_panthor_group_destroy", PanthorGroup.Destroy.LAYOUT, GROUP_DESTROY),
            new UapiStruct("drm_panthor_queue_submit", PanthorGroup.QueueSubmit.LAYOUT, GROUP_SUBMIT),
            new UapiStruct("drm_panthor_group_submit", PanthorGroup.Submit.LAYOUT, GROUP_SUBMIT),
            new UapiStruct("drm_panthor_group_get_state", PanthorGroup.GetState.LAYOUT, GROUP_GET_STATE),
            new UapiStruct("drm_panthor_tiler_heap_create", PanthorTiler.HeapCreate.LAYOUT, TILER_HEAP_CREATE),
            new UapiStruct("drm_panthor_tiler_heap_destroy", PanthorTiler.HeapDestroy.LAYOUT, TILER_HEAP_DESTROY),
            new UapiStruct("drm_panthor_bo_set_label", PanthorBo.SetLabel.LAYOUT, BO_SET_LABEL),
            new UapiStruct("drm_panthor_set_user_mmio_offset", SetUserMmioOffset.LAYOUT, SET_USER_MMIO_OFFSET));

    private static int iowr(int id, StructLayout arg) {
        return DrmIoctls.drmIowr(DrmIoctls.DRM_COMMAND_BASE + id, arg);
    }
}
