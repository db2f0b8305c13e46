package dev.gpuemu.kernel.drivers.tyr;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.drm.gem.GemDevice;
import dev.gpuemu.kernel.drm.gem.ShmemObject;
import dev.gpuemu.kernel.uapi.panthor.PanthorDrm;
import dev.gpuemu.machine.mem.PageRun;
import dev.gpuemu.regs.mali.MaliPte;
import java.util.List;

/// A panthor buffer object (`struct panthor_gem_object`): a shmem GEM object with the
/// `DRM_PANTHOR_BO_*` creation flags and, optionally, the one VM it may be mapped into
/// (`exclusive_vm_id`).
///
/// ## Invariants
/// `flags` holds only `DRM_PANTHOR_BO_NO_MMAP`; an exclusive BO is only ever mapped into its VM.
///
/// ## Thread safety
/// Immutable apart from the shmem state, which [ShmemObject] guards.
///
/// ## Lifecycle
/// As every GEM object: freed at its last reference (handles, mmaps, VM mappings).
public final class TyrBo extends ShmemObject {
    /// `PANTHOR_BO_FLAGS`.
    public static final int FLAGS = PanthorDrm.DRM_PANTHOR_BO_NO_MMAP;

    private final int flags;
    private final TyrUserVm exclusiveVm;
    /// `BO_SET_LABEL`'s label (null: none); ORDERING: volatile, replaced whole.
    private volatile String label;

    /// @throws KernelException EINVAL if `size` is not a positive page multiple
    TyrBo(GemDevice dev, long size, int flags, TyrUserVm exclusiveVm) throws KernelException {
        super(dev, size);
        this.flags = flags;
        this.exclusiveVm = exclusiveVm;
    }

    public int flags() {
        return flags;
    }

    /// Whether userspace may mmap it (no `DRM_PANTHOR_BO_NO_MMAP`).
    public boolean mmappable() {
        return (flags & PanthorDrm.DRM_PANTHOR_BO_NO_MMAP) == 0;
    }

    /// The VM it is reserved to, or null.
    public TyrUserVm exclusiveVm() {
        return exclusiveVm;
    }

    /// Physical addresses of the 4 KiB pages of `[offset, offset + size)`; the caller holds a pin.
    long[] pageAddresses(long offset, long size) throws KernelException {
        List<PageRun> runs = getPagesSgt();
        long[] out = new long[(int) (size / MaliPte.PAGE_SIZE)];
        long first = offset / MaliPte.PAGE_SIZE;
        long index = 0;
        int n = 0;
        for (PageRun r : runs) {
            for (int i = 0; i < r.pages() && n < out.length; i++, index++) {
                if (index >= first) {
                    out[n++] = r.physAddr() + (long) i * MaliPte.PAGE_SIZE;
                }
            }
        }
        if (n != out.length) {
            throw new IllegalStateException(this + ": range 0x" + Long.toHexString(offset) + "+0x"
                    + Long.toHexString(size) + " beyond its pages");
        }
        return out;
    }

    /// The label `BO_SET_LABEL` gave (null when none or cleared).
    public String label() {
        return label;
    }

    void setLabel(String label) {
        this.label = label;
    }
}
