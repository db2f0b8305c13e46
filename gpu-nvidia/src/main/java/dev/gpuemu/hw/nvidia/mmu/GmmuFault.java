package dev.gpuemu.hw.nvidia.mmu;

/// The fault a failed [Gmmu#translate] left: the faulting VA, `NV_PFAULT_FAULT_TYPE_*` and
/// `NV_PFAULT_ACCESS_TYPE_VIRT_*`. A mutable record owned by one caller and reused, so the
/// translate path allocates nothing.
///
/// ## Thread safety
/// Not thread-safe; used under the device lock.
public final class GmmuFault {
    private boolean valid;
    private long va;
    private int type;
    private int access;

    /// Clears the record.
    public void clear() {
        valid = false;
        va = 0;
        type = 0;
        access = 0;
    }

    void set(long va, int type, int access) {
        this.valid = true;
        this.va = va;
        this.type = type;
        this.access = access;
    }

    /// Copies `other` into this record.
    public void copyFrom(GmmuFault other) {
        valid = other.valid;
        va = other.va;
        type = other.type;
        access = other.access;
    }

    /// Records a fault found outside a walk (e.g. a physical address past the end of VRAM).
    public void record(long va, int type, int access) {
        set(va, type, access);
    }

    public boolean valid() {
        return valid;
    }

    public long va() {
        return va;
    }

    public int type() {
        return type;
    }

    public int access() {
        return access;
    }

    @Override
    public String toString() {
        return valid ? String.format("GmmuFault[va=0x%x, type=%d, access=%d]", va, type, access) : "GmmuFault[none]";
    }
}
