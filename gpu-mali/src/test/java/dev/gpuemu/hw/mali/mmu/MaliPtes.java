package dev.gpuemu.hw.mali.mmu;

import dev.gpuemu.regs.mali.MaliPte;

/// Test helper: descriptors `MaliPte` has no factory for.
final class MaliPtes {
    private MaliPtes() {
    }

    /// A block descriptor for `pa` with the access flag set (valid at levels 1 and 2 only).
    static long block(long pa) {
        return (pa & MaliPte.ADDR_MASK) | MaliPte.TYPE_BLOCK | MaliPte.AF;
    }

    /// A level-3 page descriptor with the access flag clear.
    static long pageWithoutAf(long pa) {
        return MaliPte.page(pa, false, false, 0) & ~MaliPte.AF;
    }
}
