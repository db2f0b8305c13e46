package dev.gpuemu.kernel.uapi.drm;

import static dev.gpuemu.kernel.uapi.drm.Uapi.field;
import static dev.gpuemu.kernel.uapi.drm.Uapi.s32;
import static dev.gpuemu.kernel.uapi.drm.Uapi.s64;
import static dev.gpuemu.kernel.uapi.drm.Uapi.struct;
import static dev.gpuemu.kernel.uapi.drm.Uapi.u32;
import static dev.gpuemu.kernel.uapi.drm.Uapi.u64;

import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/// Sync objects: the `drm_syncobj_*` argument structs and their flags. `handles` and `points`
/// are user pointers to arrays of `__u32` handles and `__u64` timeline points.
///
/// The wait structs grew a trailing `deadline_nsec` (used with
/// [#DRM_SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE]); the layouts here are the current ones, and
/// `SIZE_WITHOUT_DEADLINE` is the older size that the ioctl core zero-extends.
///
/// ## Thread safety
/// Constants only.
public final class DrmSyncobj {
    /// `drm_syncobj_create.flags`: create the syncobj with a signaled fence.
    public static final int DRM_SYNCOBJ_CREATE_SIGNALED = 1;
    /// `drm_syncobj_handle.flags` of FD_TO_HANDLE: import a sync_file fence into an existing syncobj.
    public static final int DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE = 1;
    /// `drm_syncobj_handle.flags` of HANDLE_TO_FD: export the fence as a sync_file.
    public static final int DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE = 1;
    public static final int DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL = 1;
    public static final int DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT = 1 << 1;
    /// Wait for the time point to become available (timeline waits).
    public static final int DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE = 1 << 2;
    /// `deadline_nsec` is valid.
    public static final int DRM_SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE = 1 << 3;
    /// `DRM_IOCTL_SYNCOBJ_QUERY`: report the last submitted point instead of the signaled one.
    public static final int DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED = 1;

    private DrmSyncobj() {
    }

    /// `struct drm_syncobj_create` (8 bytes): flags in, handle out.
    public static final class Create {
        public static final StructLayout LAYOUT = struct("drm_syncobj_create", u32("handle"), u32("flags"));
        public static final VarHandle HANDLE = field(LAYOUT, "handle");
        public static final VarHandle FLAGS = field(LAYOUT, "flags");

        private Create() {
        }
    }

    /// `struct drm_syncobj_destroy` (8 bytes).
    public static final class Destroy {
        public static final StructLayout LAYOUT = struct("drm_syncobj_destroy", u32("handle"), u32("pad"));
        public static final VarHandle HANDLE = field(LAYOUT, "handle");
        public static final VarHandle PAD = field(LAYOUT, "pad");

        private Destroy() {
        }
    }

    /// `struct drm_syncobj_handle` (16 bytes): HANDLE_TO_FD and FD_TO_HANDLE.
    public static final class Handle {
        public static final StructLayout LAYOUT = struct("drm_syncobj_handle",
                u32("handle"), u32("flags"), s32("fd"), u32("pad"));
        public static final VarHandle HANDLE = field(LAYOUT, "handle");
        public static final VarHandle FLAGS = field(LAYOUT, "flags");
        public static final VarHandle FD = field(LAYOUT, "fd");
        public static final VarHandle PAD = field(LAYOUT, "pad");

        private Handle() {
        }
    }

    /// `struct drm_syncobj_transfer` (32 bytes): moves a fence between (timeline) points.
    public static final class Transfer {
        public static final StructLayout LAYOUT = struct("drm_syncobj_transfer",
                u32("src_handle"), u32("dst_handle"), u64("src_point"), u64("dst_point"), u32("flags"), u32("pad"));
        public static final VarHandle SRC_HANDLE = field(LAYOUT, "src_handle");
        public static final VarHandle DST_HANDLE = field(LAYOUT, "dst_handle");
        public static final VarHandle SRC_POINT = field(LAYOUT, "src_point");
        public static final VarHandle DST_POINT = field(LAYOUT, "dst_point");
        public static final VarHandle FLAGS = field(LAYOUT, "flags");
        public static final VarHandle PAD = field(LAYOUT, "pad");

        private Transfer() {
        }
    }

    /// `struct drm_syncobj_wait` (40 bytes; 32 before `deadline_nsec`). `timeout_nsec` is an
    /// absolute `CLOCK_MONOTONIC` time.
    public static final class Wait {
        public static final StructLayout LAYOUT = struct("drm_syncobj_wait",
                u64("handles"), s64("timeout_nsec"), u32("count_handles"), u32("flags"),
                u32("first_signaled"), u32("pad"), u64("deadline_nsec"));
        public static final long SIZE_WITHOUT_DEADLINE = 32;
        public static final VarHandle HANDLES = field(LAYOUT, "handles");
        public static final VarHandle TIMEOUT_NSEC = field(LAYOUT, "timeout_nsec");
        public static final VarHandle COUNT_HANDLES = field(LAYOUT, "count_handles");
        public static final VarHandle FLAGS = field(LAYOUT, "flags");
        public static final VarHandle FIRST_SIGNALED = field(LAYOUT, "first_signaled");
        public static final VarHandle PAD = field(LAYOUT, "pad");
        public static final VarHandle DEADLINE_NSEC = field(LAYOUT, "deadline_nsec");

        private Wait() {
        }
    }

    /// `struct drm_syncobj_timeline_wait` (48 bytes; 40 before `deadline_nsec`).
    public static final class TimelineWait {
        public static final StructLayout LAYOUT = struct("drm_syncobj_timeline_wait",
                u64("handles"), u64("points"), s64("timeout_nsec"), u32("count_handles"), u32("flags"),
                u32("first_signaled"), u32("pad"), u64("deadline_nsec"));
        public static final long SIZE_WITHOUT_DEADLINE = 40;
        public static final VarHandle HANDLES = field(LAYOUT, "handles");
        public static final VarHandle POINTS = field(LAYOUT, "points");
        public static final VarHandle TIMEOUT_NSEC = field(LAYOUT, "timeout_nsec");
        public static final VarHandle COUNT_HANDLES = field(LAYOUT, "count_handles");
        public static final VarHandle FLAGS = field(LAYOUT, "flags");
        public static final VarHandle FIRST_SIGNALED = field(LAYOUT, "first_signaled");
        public static final VarHandle PAD = field(LAYOUT, "pad");
        public static final VarHandle DEADLINE_NSEC = field(LAYOUT, "deadline_nsec");

        private TimelineWait() {
        }
    }

    /// `struct drm_syncobj_array` (16 bytes): RESET and SIGNAL.
    public static final class Array {
        public static final StructLayout LAYOUT = struct("drm_syncobj_array",
                u64("handles"), u32("count_handles"), u32("pad"));
        public static final VarHandle HANDLES = field(LAYOUT, "handles");
        public static final VarHandle COUNT_HANDLES = field(LAYOUT, "count_handles");
        public static final VarHandle PAD = field(LAYOUT, "pad");

        private Array() {
        }
    }

    /// `struct drm_syncobj_timeline_array` (24 bytes): QUERY and TIMELINE_SIGNAL.
    public static final class TimelineArray {
        public static final StructLayout LAYOUT = struct("drm_syncobj_timeline_array",
                u64("handles"), u64("points"), u32("count_handles"), u32("flags"));
        public static final VarHandle HANDLES = field(LAYOUT, "handles");
        public static final VarHandle POINTS = field(LAYOUT, "points");
        public static final VarHandle COUNT_HANDLES = field(LAYOUT, "count_handles");
        public static final VarHandle FLAGS = field(LAYOUT, "flags");

        private TimelineArray() {
        }
    }
}
