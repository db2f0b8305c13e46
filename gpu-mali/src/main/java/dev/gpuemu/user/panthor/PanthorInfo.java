package dev.gpuemu.user.panthor;

import java.util.List;

/// What panthor's queries and creations answer, as values.
///
/// ## Thread safety
/// Immutable records.
public final class PanthorInfo {
    private PanthorInfo() {
    }

    /// `drm_panthor_gpu_info` (panthor 1.5, 104 bytes).
    public record GpuInfo(int gpuId, int gpuRev, int csfId, int l2Features, int tilerFeatures, int memFeatures,
            int mmuFeatures, int threadFeatures, int maxThreads, int threadMaxWorkgroupSize,
            int threadMaxBarrierSize, int coherencyFeatures, List<Integer> textureFeatures, int asPresent,
            long shaderPresent, long l2Present, long tilerPresent, int coreFeatures) {
        public GpuInfo {
            textureFeatures = List.copyOf(textureFeatures);
        }

        /// `gpu_id[31:16]`, the product id (`0xa867` for the G610).
        public int productId() {
            return gpuId >>> 16;
        }
    }

    /// `drm_panthor_csif_info`.
    public record CsifInfo(int csgSlotCount, int csSlotCount, int csRegCount, int scoreboardSlotCount,
            int unpreservedCsRegCount) {
    }

    /// `drm_panthor_timestamp_info`.
    public record TimestampInfo(long timestampFrequency, long currentTimestamp, long timestampOffset) {
    }

    /// A VM from `VM_CREATE`: its id and the user VA range the kernel settled on.
    public record Vm(int id, long userVaRange) {
    }

    /// A BO from `BO_CREATE`: its handle and page-aligned size.
    public record Bo(int handle, long size) {
    }

    /// `GROUP_GET_STATE`: `DRM_PANTHOR_GROUP_STATE_*` bits and the bitmask of faulted queues.
    public record GroupState(int state, int fatalQueues) {
    }
}
