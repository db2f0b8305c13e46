package dev.gpuemu.kernel.uapi.panthor;

import static dev.gpuemu.kernel.uapi.panthor.PanthorUapi.field;
import static dev.gpuemu.kernel.uapi.panthor.PanthorUapi.struct;
import static dev.gpuemu.kernel.uapi.panthor.PanthorUapi.u32;
import static dev.gpuemu.kernel.uapi.panthor.PanthorUapi.u64;

import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/// Buffer objects: `BO_CREATE`, `BO_MMAP_OFFSET`, `BO_SET_LABEL`.
///
/// ## Thread safety
/// Constants only.
public final class PanthorBo {
    private PanthorBo() {
    }

    /// `struct drm_panthor_bo_create` (24 bytes): `size` in/out (rounded up to pages),
    /// `flags` (`DRM_PANTHOR_BO_NO_MMAP`), `exclusive_vm_id` (0 or a VM id), `handle` out
    /// (nonzero), `pad` MBZ.
    public static final class Create {
        public static final StructLayout LAYOUT = struct("drm_panthor_bo_create",
                u64("size"), u32("flags"), u32("exclusive_vm_id"), u32("handle"), u32("pad"));
        public static final VarHandle SIZE = field(LAYOUT, "size");
        public static final VarHandle FLAGS = field(LAYOUT, "flags");
        public static final VarHandle EXCLUSIVE_VM_ID = field(LAYOUT, "exclusive_vm_id");
        public static final VarHandle HANDLE = field(LAYOUT, "handle");
        public static final VarHandle PAD = field(LAYOUT, "pad");

        private Create() {
        }
    }

    /// `struct drm_panthor_bo_mmap_offset` (16 bytes): `handle` in, `pad` MBZ, `offset` out
    /// (the fake offset to pass to mmap).
    public static final class MmapOffset {
        public static final StructLayout LAYOUT = struct("drm_panthor_bo_mmap_offset",
                u32("handle"), u32("pad"), u64("offset"));
        public static final VarHandle HANDLE = field(LAYOUT, "handle");
        public static final VarHandle PAD = field(LAYOUT, "pad");
        public static final VarHandle OFFSET = field(LAYOUT, "offset");

        private MmapOffset() {
        }
    }

    /// `struct drm_panthor_bo_set_label` (16 bytes): `handle`, `pad` MBZ, `label` (user pointer
    /// to a NUL-terminated string of at most [PanthorDrm#PANTHOR_BO_LABEL_MAXLEN] bytes, or 0 to
    /// clear the label).
    public static final class SetLabel {
        public static final StructLayout LAYOUT = struct("drm_panthor_bo_set_label",
                u32("handle"), u32("pad"), u64("label"));
        public static final VarHandle HANDLE = field(LAYOUT, "handle");
        public static final VarHandle PAD = field(LAYOUT, "pad");
        public static final VarHandle LABEL = field(LAYOUT, "label");

        private SetLabel() {
        }
    }
}
