package dev.gpuemu.kernel.uapi.panthor;

import static dev.gpuemu.kernel.uapi.panthor.PanthorUapi.element;
import static dev.gpuemu.kernel.uapi.panthor.PanthorUapi.field;
import static dev.gpuemu.kernel.uapi.panthor.PanthorUapi.member;
import static dev.gpuemu.kernel.uapi.panthor.PanthorUapi.struct;
import static dev.gpuemu.kernel.uapi.panthor.PanthorUapi.u32;
import static dev.gpuemu.kernel.uapi.panthor.PanthorUapi.u64;
import static dev.gpuemu.kernel.uapi.panthor.PanthorUapi.u8;
import static dev.gpuemu.kernel.uapi.panthor.PanthorUapi.u8s;

import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/// Scheduling groups and their queues: `GROUP_CREATE` (with `drm_panthor_queue_create`
/// elements), `GROUP_DESTROY`, `GROUP_SUBMIT` (with `drm_panthor_queue_submit` elements) and
/// `GROUP_GET_STATE`.
///
/// ## Thread safety
/// Constants only.
public final class PanthorGroup {
    private PanthorGroup() {
    }

    /// `struct drm_panthor_queue_create` (8 bytes): `priority` 0..15, `pad[3]` MBZ,
    /// `ringbuf_size` (a power of two, at least a page).
    public static final class QueueCreate {
        public static final StructLayout LAYOUT = struct("drm_panthor_queue_create",
                u8("priority"), u8s("pad", 3), u32("ringbuf_size"));
        public static final VarHandle PRIORITY = field(LAYOUT, "priority");
        /// `(MemorySegment, long index)` for `pad[index]`, index 0..2.
        public static final VarHandle PAD = element(LAYOUT, "pad");
        public static final VarHandle RINGBUF_SIZE = field(LAYOUT, "ringbuf_size");

        private QueueCreate() {
        }
    }

    /// `struct drm_panthor_group_create` (56 bytes): `queues` (obj_array of queue_create),
    /// per-kind core limits and masks, `priority` (`PANTHOR_GROUP_PRIORITY_*`), `pad` MBZ,
    /// `vm_id`, `group_handle` out.
    public static final class Create {
        public static final StructLayout LAYOUT = struct("drm_panthor_group_create",
                member(PanthorDrm.ObjArray.LAYOUT, "queues"), u8("max_compute_cores"), u8("max_fragment_cores"),
                u8("max_tiler_cores"), u8("priority"), u32("pad"), u64("compute_core_mask"),
                u64("fragment_core_mask"), u64("tiler_core_mask"), u32("vm_id"), u32("group_handle"));
        public static final VarHandle QUEUES_STRIDE = field(LAYOUT, "queues", "stride");
        public static final VarHandle QUEUES_COUNT = field(LAYOUT, "queues", "count");
        public static final VarHandle QUEUES_ARRAY = field(LAYOUT, "queues", "array");
        public static final VarHandle MAX_COMPUTE_CORES = field(LAYOUT, "max_compute_cores");
        public static final VarHandle MAX_FRAGMENT_CORES = field(LAYOUT, "max_fragment_cores");
        public static final VarHandle MAX_TILER_CORES = field(LAYOUT, "max_tiler_cores");
        public static final VarHandle PRIORITY = field(LAYOUT, "priority");
        public static final VarHandle PAD = field(LAYOUT, "pad");
        public static final VarHandle COMPUTE_CORE_MASK = field(LAYOUT, "compute_core_mask");
        public static final VarHandle FRAGMENT_CORE_MASK = field(LAYOUT, "fragment_core_mask");
        public static final VarHandle TILER_CORE_MASK = field(LAYOUT, "tiler_core_mask");
        public static final VarHandle VM_ID = field(LAYOUT, "vm_id");
        public static final VarHandle GROUP_HANDLE = field(LAYOUT, "group_handle");

        private Create() {
        }
    }

    /// `struct drm_panthor_group_destroy` (8 bytes).
    public static final class Destroy {
        public static final StructLayout LAYOUT = struct("drm_panthor_group_destroy",
                u32("group_handle"), u32("pad"));
        public static final VarHandle GROUP_HANDLE = field(LAYOUT, "group_handle");
        public static final VarHandle PAD = field(LAYOUT, "pad");

        private Destroy() {
        }
    }

    /// `struct drm_panthor_queue_submit` (40 bytes): `queue_index`, `stream_size` (multiple of
    /// 8; 0 with `stream_addr` 0 for a pure sync point), `stream_addr` (GPU VA, 64-byte
    /// aligned), `latest_flush`, `pad` MBZ, `syncs` (obj_array of sync_op).
    public static final class QueueSubmit {
        public static final StructLayout LAYOUT = struct("drm_panthor_queue_submit",
                u32("queue_index"), u32("stream_size"), u64("stream_addr"), u32("latest_flush"), u32("pad"),
                member(PanthorDrm.ObjArray.LAYOUT, "syncs"));
        public static final VarHandle QUEUE_INDEX = field(LAYOUT, "queue_index");
        public static final VarHandle STREAM_SIZE = field(LAYOUT, "stream_size");
        public static final VarHandle STREAM_ADDR = field(LAYOUT, "stream_addr");
        public static final VarHandle LATEST_FLUSH = field(LAYOUT, "latest_flush");
        public static final VarHandle PAD = field(LAYOUT, "pad");
        public static final VarHandle SYNCS_STRIDE = field(LAYOUT, "syncs", "stride");
        public static final VarHandle SYNCS_COUNT = field(LAYOUT, "syncs", "count");
        public static final VarHandle SYNCS_ARRAY = field(LAYOUT, "syncs", "array");

        private QueueSubmit() {
        }
    }

    /// `struct drm_panthor_group_submit` (24 bytes): `group_handle`, `pad` MBZ,
    /// `queue_submits` (obj_array of queue_submit).
    public static final class Submit {
        public static final StructLayout LAYOUT = struct("drm_panthor_group_submit",
                u32("group_handle"), u32("pad"), member(PanthorDrm.ObjArray.LAYOUT, "queue_submits"));
        public static final VarHandle GROUP_HANDLE = field(LAYOUT, "group_handle");
        public static final VarHandle PAD = field(LAYOUT, "pad");
        public static final VarHandle QUEUE_SUBMITS_STRIDE = field(LAYOUT, "queue_submits", "stride");
        public static final VarHandle QUEUE_SUBMITS_COUNT = field(LAYOUT, "queue_submits", "count");
        public static final VarHandle QUEUE_SUBMITS_ARRAY = field(LAYOUT, "queue_submits", "array");

        private Submit() {
        }
    }

    /// `struct drm_panthor_group_get_state` (16 bytes): `group_handle` in; `state`
    /// (`DRM_PANTHOR_GROUP_STATE_*` bits) and `fatal_queues` (queue bitmask) out; `pad` MBZ.
    public static final class GetState {
        public static final StructLayout LAYOUT = struct("drm_panthor_group_get_state",
                u32("group_handle"), u32("state"), u32("fatal_queues"), u32("pad"));
        public static final VarHandle GROUP_HANDLE = field(LAYOUT, "group_handle");
        public static final VarHandle STATE = field(LAYOUT, "state");
        public static final VarHandle FATAL_QUEUES = field(LAYOUT, "fatal_queues");
        public static final VarHandle PAD = field(LAYOUT, "pad");

        private GetState() {
        }
    }
}
