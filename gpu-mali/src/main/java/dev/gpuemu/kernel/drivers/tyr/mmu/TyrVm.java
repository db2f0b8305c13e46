package dev.gpuemu.kernel.drivers.tyr.mmu;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.regs.mali.MaliPte;
import java.util.concurrent.locks.ReentrantLock;

/// A GPU virtual address space (panthor's `panthor_vm`): a page table, the VA range it may map,
/// and the address-space slot it is bound to while the GPU uses it.
///
/// Map and unmap are synchronous: the page table is updated under the VM lock and, when the VM
/// is live in a slot, the hardware is told with `LOCK` / `FLUSH_PT` / `UNLOCK` around the range.
///
/// ## Invariants
/// A mapped page is 4 KiB aligned in VA and PA and inside `[vaStart, vaEnd)`. An unusable VM
/// (after a fault) refuses new maps with `EINVAL` but may still be unmapped and destroyed.
///
/// ## Thread safety
/// Thread-safe: one lock serialises page-table updates and slot changes.
///
/// ## Lifecycle
/// created by [TyrMmu#createVm] → [#destroy] once (or by [TyrMmu#close] at unbind).
public final class TyrVm {
    /// Map flags (the uAPI's `DRM_PANTHOR_VM_BIND_OP_MAP_*`).
    public static final int MAP_READONLY = 1;
    public static final int MAP_NOEXEC = 1 << 1;
    public static final int MAP_UNCACHED = 1 << 2;

    final ReentrantLock lock = new ReentrantLock();
    private final TyrMmu mmu;
    private final String name;
    private final boolean mcu;
    private final long vaStart;
    private final long vaEnd;
    final PageTable pt;
    int as = -1; // guarded by mmu's lock
    long lastUse; // guarded by mmu's lock
    /// Users running on the VM's address space (`as.active_cnt`); guarded by mmu's lock.
    int activeCnt;
    private volatile boolean unusable;
    private volatile boolean destroyed;
    private long mappedPages; // guarded by lock

    TyrVm(TyrMmu mmu, String name, boolean mcu, long vaStart, long vaEnd, PageTable pt) {
        this.mmu = mmu;
        this.name = name;
        this.mcu = mcu;
        this.vaStart = vaStart;
        this.vaEnd = vaEnd;
        this.pt = pt;
    }

    public String name() {
        return name;
    }

    public boolean isMcu() {
        return mcu;
    }

    public long vaStart() {
        return vaStart;
    }

    public long vaEnd() {
        return vaEnd;
    }

    /// The address-space slot this VM is bound to, or -1.
    public int as() {
        return mmu.asOf(this);
    }

    /// Whether a fault made this VM unusable (`DRM_PANTHOR_VM_STATE_UNUSABLE`).
    public boolean isUnusable() {
        return unusable;
    }

    void markUnusable() {
        unusable = true;
    }

    public boolean isDestroyed() {
        return destroyed;
    }

    public long mappedPages() {
        lock.lock();
        try {
            return mappedPages;
        } finally {
            lock.unlock();
        }
    }

    /// Maps `pages` (4 KiB physical pages, in order) at `va`.
    ///
    /// @throws KernelException `EINVAL` for a misaligned or out-of-range VA, an address already
    ///         mapped, or an unusable or destroyed VM
    public void map(long va, long[] pages, int flags) throws KernelException {
        long size = (long) pages.length * MaliPte.PAGE_SIZE;
        checkRange(va, size);
        lock.lock();
        try {
            if (destroyed || unusable) {
                throw new KernelException(Errno.EINVAL, name + " is " + (destroyed ? "destroyed" : "unusable"));
            }
            for (int i = 0; i < pages.length; i++) {
                if (pt.get(va + i * MaliPte.PAGE_SIZE) != 0) {
                    throw new KernelException(Errno.EINVAL, String.format("%s: VA 0x%x already mapped", name,
                            va + i * MaliPte.PAGE_SIZE));
                }
            }
            int attr = (flags & MAP_UNCACHED) != 0 ? MaliPte.MEMATTR_IDX_NONCACHED : MaliPte.MEMATTR_IDX_CACHED;
            mmu.lockRegion(this, va, size);
            try {
                for (int i = 0; i < pages.length; i++) {
                    if ((pages[i] & (MaliPte.PAGE_SIZE - 1)) != 0) {
                        throw new IllegalArgumentException("unaligned page 0x" + Long.toHexString(pages[i]));
                    }
                    pt.set(va + i * MaliPte.PAGE_SIZE, MaliPte.page(pages[i], (flags & MAP_READONLY) != 0,
                            (flags & MAP_NOEXEC) != 0, attr));
                }
                mappedPages += pages.length;
            } finally {
                mmu.flushAndUnlock(this);
            }
        } finally {
            lock.unlock();
        }
    }

    /// Unmaps `[va, va + size)`; pages not mapped are skipped. Returns the pages unmapped.
    public long unmap(long va, long size) throws KernelException {
        checkRange(va, size);
        lock.lock();
        try {
            if (destroyed) {
                throw new KernelException(Errno.EINVAL, name + " is destroyed");
            }
            long n = 0;
            mmu.lockRegion(this, va, size);
            try {
                for (long off = 0; off < size; off += MaliPte.PAGE_SIZE) {
                    if (pt.clear(va + off) != 0) {
                        n++;
                    }
                }
                mappedPages -= n;
            } finally {
                mmu.flushAndUnlock(this);
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /// The physical address `va` translates to, or -1 (a CPU-side walk, for tests and debug).
    public long translate(long va) {
        lock.lock();
        try {
            long pte = destroyed ? 0 : pt.get(va & ~(MaliPte.PAGE_SIZE - 1));
            return pte == 0 ? -1 : MaliPte.address(pte) | (va & (MaliPte.PAGE_SIZE - 1));
        } finally {
            lock.unlock();
        }
    }

    /// Leaves the slot and frees the page tables; a second call throws.
    public void destroy() {
        lock.lock();
        try {
            if (destroyed) {
                throw new IllegalStateException(name + " already destroyed");
            }
            destroyed = true;
            mmu.release(this);
            pt.free();
        } finally {
            lock.unlock();
        }
    }

    /// [#destroy] unless already destroyed (a user VM whose tables the MMU freed at unbind).
    ///
    /// @return whether this call destroyed it
    public boolean destroyIfAlive() {
        lock.lock();
        try {
            if (destroyed) {
                return false;
            }
            destroy();
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void checkRange(long va, long size) throws KernelException {
        if ((va & (MaliPte.PAGE_SIZE - 1)) != 0 || (size & (MaliPte.PAGE_SIZE - 1)) != 0 || size <= 0
                || va < vaStart || va > vaEnd - size) {
            throw new KernelException(Errno.EINVAL, String.format("%s: bad range 0x%x+0x%x", name, va, size));
        }
    }

    @Override
    public String toString() {
        return "vm " + name;
    }
}
