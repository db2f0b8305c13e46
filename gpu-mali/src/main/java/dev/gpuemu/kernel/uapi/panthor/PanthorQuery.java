package dev.gpuemu.kernel.uapi.panthor;

import static dev.gpuemu.kernel.uapi.panthor.PanthorUapi.element;
import static dev.gpuemu.kernel.uapi.panthor.PanthorUapi.field;
import static dev.gpuemu.kernel.uapi.panthor.PanthorUapi.struct;
import static dev.gpuemu.kernel.uapi.panthor.PanthorUapi.u32;
import static dev.gpuemu.kernel.uapi.panthor.PanthorUapi.u32s;
import static dev.gpuemu.kernel.uapi.panthor.PanthorUapi.u64;
import static dev.gpuemu.kernel.uapi.panthor.PanthorUapi.u8;
import static dev.gpuemu.kernel.uapi.panthor.PanthorUapi.u8s;

import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/// `DRM_IOCTL_PANTHOR_DEV_QUERY`: the argument struct and the four query result structs of
/// panthor 1.5 (`GPU_INFO`, `CSIF_INFO`, `TIMESTAMP_INFO`, `GROUP_PRIORITIES_INFO`).
///
/// Size protocol: `pointer == 0` makes the kernel write the result struct's size into `size`;
/// otherwise it copies `min(size, sizeof)` bytes and writes that count back into `size`.
///
/// ## Thread safety
/// Constants only.
public final class PanthorQuery {
    private PanthorQuery() {
    }

    /// `struct drm_panthor_dev_query` (16 bytes): `type` (`DRM_PANTHOR_DEV_QUERY_*`), `size`
    /// in/out, `pointer` (user address of the result, or 0 to ask for the size).
    public static final class DevQuery {
        public static final StructLayout LAYOUT = struct("drm_panthor_dev_query",
                u32("type"), u32("size"), u64("pointer"));
        public static final VarHandle TYPE = field(LAYOUT, "type");
        public static final VarHandle SIZE = field(LAYOUT, "size");
        public static final VarHandle POINTER = field(LAYOUT, "pointer");

        private DevQuery() {
        }
    }

    /// `struct drm_panthor_gpu_info` (104 bytes in panthor 1.5). The 4 bytes after `as_present`
    /// are an implicit hole in the C header (alignment of `shader_present`); it is named `pad0`
    /// here, as Tyr names it, and is written as 0. (Panthor 1.7 turns it into
    /// `selected_coherency` and appends `gpu_features`, growing the struct to 112 bytes.)
    public static final class GpuInfo {
        public static final StructLayout LAYOUT = struct("drm_panthor_gpu_info",
                u32("gpu_id"), u32("gpu_rev"), u32("csf_id"), u32("l2_features"), u32("tiler_features"),
                u32("mem_features"), u32("mmu_features"), u32("thread_features"), u32("max_threads"),
                u32("thread_max_workgroup_size"), u32("thread_max_barrier_size"), u32("coherency_features"),
                u32s("texture_features", 4), u32("as_present"), u32("pad0"), u64("shader_present"),
                u64("l2_present"), u64("tiler_present"), u32("core_features"), u32("pad"));
        public static final VarHandle GPU_ID = field(LAYOUT, "gpu_id");
        public static final VarHandle GPU_REV = field(LAYOUT, "gpu_rev");
        public static final VarHandle CSF_ID = field(LAYOUT, "csf_id");
        public static final VarHandle L2_FEATURES = field(LAYOUT, "l2_features");
        public static final VarHandle TILER_FEATURES = field(LAYOUT, "tiler_features");
        public static final VarHandle MEM_FEATURES = field(LAYOUT, "mem_features");
        public static final VarHandle MMU_FEATURES = field(LAYOUT, "mmu_features");
        public static final VarHandle THREAD_FEATURES = field(LAYOUT, "thread_features");
        public static final VarHandle MAX_THREADS = field(LAYOUT, "max_threads");
        public static final VarHandle THREAD_MAX_WORKGROUP_SIZE = field(LAYOUT, "thread_max_workgroup_size");
        public static final VarHandle THREAD_MAX_BARRIER_SIZE = field(LAYOUT, "thread_max_barrier_size");
        public static final VarHandle COHERENCY_FEATURES = field(LAYOUT, "coherency_features");
        /// `(MemorySegment, long index)` for `texture_features[index]`, index 0..3.
        public static final VarHandle TEXTURE_FEATURES = element(LAYOUT, "texture_features");
        public static final VarHandle AS_PRESENT = field(LAYOUT, "as_present");
        public static final VarHandle PAD0 = field(LAYOUT, "pad0");
        public static final VarHandle SHADER_PRESENT = field(LAYOUT, "shader_present");
        public static final VarHandle L2_PRESENT = field(LAYOUT, "l2_present");
        public static final VarHandle TILER_PRESENT = field(LAYOUT, "tiler_present");
        public static final VarHandle CORE_FEATURES = field(LAYOUT, "core_features");
        public static final VarHandle PAD = field(LAYOUT, "pad");

        private GpuInfo() {
        }
    }

    /// `struct drm_panthor_csif_info` (24 bytes).
    public static final class CsifInfo {
        public static final StructLayout LAYOUT = struct("drm_panthor_csif_info",
                u32("csg_slot_count"), u32("cs_slot_count"), u32("cs_reg_count"), u32("scoreboard_slot_count"),
                u32("unpreserved_cs_reg_count"), u32("pad"));
        public static final VarHandle CSG_SLOT_COUNT = field(LAYOUT, "csg_slot_count");
        public static final VarHandle CS_SLOT_COUNT = field(LAYOUT, "cs_slot_count");
        public static final VarHandle CS_REG_COUNT = field(LAYOUT, "cs_reg_count");
        public static final VarHandle SCOREBOARD_SLOT_COUNT = field(LAYOUT, "scoreboard_slot_count");
        public static final VarHandle UNPRESERVED_CS_REG_COUNT = field(LAYOUT, "unpreserved_cs_reg_count");
        public static final VarHandle PAD = field(LAYOUT, "pad");

        private CsifInfo() {
        }
    }

    /// `struct drm_panthor_timestamp_info` (24 bytes in panthor 1.5; later versions append
    /// `flags`, `duration_nsec`, `cycle_count` and a CPU timestamp).
    public static final class TimestampInfo {
        public static final StructLayout LAYOUT = struct("drm_panthor_timestamp_info",
                u64("timestamp_frequency"), u64("current_timestamp"), u64("timestamp_offset"));
        public static final VarHandle TIMESTAMP_FREQUENCY = field(LAYOUT, "timestamp_frequency");
        public static final VarHandle CURRENT_TIMESTAMP = field(LAYOUT, "current_timestamp");
        public static final VarHandle TIMESTAMP_OFFSET = field(LAYOUT, "timestamp_offset");

        private TimestampInfo() {
        }
    }

    /// `struct drm_panthor_group_priorities_info` (4 bytes): bit `p` of `allowed_mask` set when
    /// group priority `p` (`PANTHOR_GROUP_PRIORITY_*`) is allowed to the caller.
    public static final class GroupPrioritiesInfo {
        public static final StructLayout LAYOUT = struct("drm_panthor_group_priorities_info",
                u8("allowed_mask"), u8s("pad", 3));
        public static final VarHandle ALLOWED_MASK = field(LAYOUT, "allowed_mask");
        /// `(MemorySegment, long index)` for `pad[index]`, index 0..2.
        public static final VarHandle PAD = element(LAYOUT, "pad");

        private GroupPrioritiesInfo() {
        }
    }
}
