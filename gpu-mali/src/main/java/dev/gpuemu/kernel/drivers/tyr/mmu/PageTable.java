package dev.gpuemu.kernel.drivers.tyr.mmu;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.Bound;
import dev.gpuemu.kernel.driver.Device;
import dev.gpuemu.kernel.io.DmaCoherent;
import dev.gpuemu.regs.mali.MaliPte;
import java.lang.invoke.VarHandle;
import java.util.HashMap;
import java.util.Map;

/// An io-pgtable-arm style AArch64 4 KiB page table (four levels, [MaliPte] descriptors): one
/// DMA-coherent page per table, tables allocated on demand and kept until [#free].
///
/// ## Invariants
/// Every table descriptor points at a page owned by this table ([#tables] maps its physical
/// address to the CPU view). Level-3 descriptors are pages or 0.
///
/// ## Thread safety
/// Not thread-safe: the owning [TyrVm] serialises updates under its lock. Descriptor writes are
/// published to the device with a release fence; the following `AS_COMMAND` MMIO write orders
/// them before the MMU can walk (`// ORDERING:` below).
///
/// ## Lifecycle
/// created while bound → [#free] once (or devres frees the pages at unbind).
final class PageTable {
    private final Device<? extends Bound> dev;
    private final String name;
    private final DmaCoherent root;
    private final Map<Long, DmaCoherent> tables = new HashMap<>();
    private boolean freed;

    PageTable(Device<? extends Bound> dev, String name) throws KernelException {
        this.dev = dev;
        this.name = name;
        this.root = alloc();
    }

    /// Physical address of the level-0 table (`AS_TRANSTAB`).
    long rootAddress() {
        return root.dmaAddress();
    }

    /// Pages of table memory in use.
    int tablePages() {
        return tables.size();
    }

    private DmaCoherent alloc() throws KernelException {
        DmaCoherent t = DmaCoherent.alloc(dev, MaliPte.PAGE_SIZE, name + " pgtable");
        tables.put(t.dmaAddress(), t);
        return t;
    }

    /// Writes the level-3 descriptor `pte` for `va`, allocating missing tables.
    void set(long va, long pte) throws KernelException {
        DmaCoherent t = root;
        for (int level = 0; level < 3; level++) {
            long off = 8L * MaliPte.index(va, level);
            long desc = t.read64(off);
            if ((desc & MaliPte.TYPE_MASK) != MaliPte.TYPE_TABLE_OR_PAGE) {
                DmaCoherent next = alloc();
                // ORDERING: the zeroed next table is visible before the descriptor pointing at it.
                VarHandle.releaseFence();
                t.write64(off, MaliPte.table(next.dmaAddress()));
                t = next;
            } else {
                t = tables.get(MaliPte.address(desc));
            }
        }
        VarHandle.releaseFence();
        t.write64(8L * MaliPte.index(va, 3), pte);
    }

    /// The level-3 descriptor for `va`, 0 when unmapped.
    long get(long va) {
        DmaCoherent t = root;
        for (int level = 0; level < 3; level++) {
            long desc = t.read64(8L * MaliPte.index(va, level));
            if ((desc & MaliPte.TYPE_MASK) != MaliPte.TYPE_TABLE_OR_PAGE) {
                return 0;
            }
            t = tables.get(MaliPte.address(desc));
        }
        return t.read64(8L * MaliPte.index(va, 3));
    }

    /// Clears the level-3 descriptor for `va`; returns the old one (0 if none).
    long clear(long va) {
        DmaCoherent t = root;
        for (int level = 0; level < 3; level++) {
            long desc = t.read64(8L * MaliPte.index(va, level));
            if ((desc & MaliPte.TYPE_MASK) != MaliPte.TYPE_TABLE_OR_PAGE) {
                return 0;
            }
            t = tables.get(MaliPte.address(desc));
        }
        long off = 8L * MaliPte.index(va, 3);
        long old = t.read64(off);
        VarHandle.releaseFence();
        t.write64(off, 0);
        return old;
    }

    /// Frees every table page (once; no-op when devres already freed them at unbind).
    void free() {
        if (freed) {
            throw new IllegalStateException("page table " + name + " already freed");
        }
        freed = true;
        for (DmaCoherent t : tables.values()) {
            try {
                t.free();
            } catch (IllegalStateException alreadyReleasedByDevres) {
                // the binding ended first: devres freed it
            }
        }
        tables.clear();
    }
}
