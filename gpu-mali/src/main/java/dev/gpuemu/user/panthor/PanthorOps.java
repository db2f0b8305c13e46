package dev.gpuemu.user.panthor;

import dev.gpuemu.kernel.uapi.panthor.PanthorDrm;
import java.util.List;
import java.util.Objects;

/// The elements of panthor's obj_arrays, as values: sync operations, VM bind operations, queue
/// descriptions of a group and queue submissions. [PanthorClient] lays them out in user memory.
///
/// ## Thread safety
/// Immutable records.
public final class PanthorOps {
    private PanthorOps() {
    }

    /// `drm_panthor_sync_op`: wait on or signal a (binary or timeline) syncobj.
    public record SyncOp(int flags, int handle, long timelineValue) {
        /// Signal binary syncobj `handle` when the job or bind completes.
        public static SyncOp signal(int handle) {
            return new SyncOp(PanthorDrm.DRM_PANTHOR_SYNC_OP_SIGNAL
                    | PanthorDrm.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ, handle, 0);
        }

        /// Wait for binary syncobj `handle` before the job or bind runs.
        public static SyncOp await(int handle) {
            return new SyncOp(PanthorDrm.DRM_PANTHOR_SYNC_OP_WAIT
                    | PanthorDrm.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ, handle, 0);
        }
    }

    /// `drm_panthor_vm_bind_op`.
    public record BindOp(int flags, int boHandle, long boOffset, long va, long size, List<SyncOp> syncs) {
        public BindOp {
            syncs = List.copyOf(Objects.requireNonNull(syncs, "syncs"));
        }

        /// Maps `size` bytes of BO `boHandle` from `boOffset` at `va`; `mapFlags` of
        /// `DRM_PANTHOR_VM_BIND_OP_MAP_*`.
        public static BindOp map(int boHandle, long boOffset, long va, long size, int mapFlags) {
            return new BindOp(PanthorDrm.DRM_PANTHOR_VM_BIND_OP_TYPE_MAP | mapFlags, boHandle, boOffset, va, size,
                    List.of());
        }

        /// Unmaps `[va, va + size)`.
        public static BindOp unmap(long va, long size) {
            return new BindOp(PanthorDrm.DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP, 0, 0, va, size, List.of());
        }

        /// A pure synchronisation point (only valid in an ASYNC bind).
        public static BindOp syncOnly(List<SyncOp> syncs) {
            return new BindOp(PanthorDrm.DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY, 0, 0, 0, 0, syncs);
        }
    }

    /// `drm_panthor_queue_create`: `priority` 0..15 and the ring buffer size.
    public record QueueSpec(int priority, int ringbufSize) {
    }

    /// The arguments of `DRM_IOCTL_PANTHOR_GROUP_CREATE` (`group_handle` aside).
    public record GroupSpec(int vmId, int priority, List<QueueSpec> queues, long computeCoreMask,
            int maxComputeCores, long fragmentCoreMask, int maxFragmentCores, long tilerCoreMask,
            int maxTilerCores) {
        public GroupSpec {
            queues = List.copyOf(Objects.requireNonNull(queues, "queues"));
        }

        /// A compute group on VM `vmId` using every shader core of `shaderPresent` and the tiler
        /// of `tilerPresent`, as Mesa's panvk creates it.
        public static GroupSpec compute(int vmId, int priority, long shaderPresent, long tilerPresent,
                List<QueueSpec> queues) {
            return new GroupSpec(vmId, priority, queues, shaderPresent, Long.bitCount(shaderPresent), shaderPresent,
                    Long.bitCount(shaderPresent), tilerPresent, Long.bitCount(tilerPresent));
        }
    }

    /// `drm_panthor_queue_submit`: `streamSize` bytes of command stream at GPU VA `streamAddr`
    /// on queue `queueIndex`.
    public record QueueSubmit(int queueIndex, long streamAddr, int streamSize, int latestFlush, List<SyncOp> syncs) {
        public QueueSubmit {
            syncs = List.copyOf(Objects.requireNonNull(syncs, "syncs"));
        }
    }
}
