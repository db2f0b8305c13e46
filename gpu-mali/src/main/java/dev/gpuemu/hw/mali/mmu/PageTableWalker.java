package dev.gpuemu.hw.mali.mmu;

import dev.gpuemu.machine.mem.DmaPort;
import dev.gpuemu.regs.mali.MaliAsReg;
import dev.gpuemu.regs.mali.MaliException;
import dev.gpuemu.regs.mali.MaliPte;

/// The AArch64 4 KiB-granule stage-1 walk of one translation ([MaliPte]): starting at the level
/// the input size needs (level 0 for 40..48 bits), one descriptor read per level, blocks at levels
/// 1 and 2, pages at level 3, then the permission and access-flag checks of the leaf.
///
/// Results are encoded in one `long` so the walk allocates nothing: a non-negative value is the
/// physical address; a negative one is a fault (see [#isFault], [#faultCode], [#isBusFault]).
/// Table-descriptor attributes (`APTable`, `XNTable`, `PXNTable`) are ignored: io-pgtable-arm
/// never sets them for panthor.
///
/// ## Thread safety
/// Stateless apart from the reader; used under the device lock.
final class PageTableWalker {
    /// Physical address bits the MMU emits (`MMU_FEATURES.PA_BITS` = 40).
    static final int PA_BITS = 40;
    private static final long FAULT = Long.MIN_VALUE;
    private static final long BUS = 1L << 8;

    private final DescriptorReader reader;

    PageTableWalker(DescriptorReader reader) {
        this.reader = reader;
    }

    static boolean isFault(long result) {
        return result < 0;
    }

    /// The `MaliException` code of a fault result.
    static int faultCode(long result) {
        return (int) (result & 0xFF);
    }

    /// Whether a fault result is a bus fault (a table read the bus refused) rather than a page fault.
    static boolean isBusFault(long result) {
        return (result & BUS) != 0;
    }

    static long fault(MaliException e) {
        return FAULT | e.code();
    }

    /// Translates `va` through the tables rooted at `transtab` for an input range of `inBits`.
    long walk(long transtab, int inBits, long va, int accessType) {
        if (inBits < 64 && (va >>> inBits) != 0) {
            return fault(MaliException.ADDR_SIZE_FAULT_IN);
        }
        int levels = (inBits - MaliPte.PAGE_SHIFT + 8) / 9; // ceil((inBits - 12) / 9)
        int level = MaliPte.LEVELS - levels;
        long table = transtab & MaliPte.ADDR_MASK;
        while (true) {
            long descPa = table + 8L * MaliPte.index(va, level);
            long lo = reader.readInt(descPa);
            long hi = lo == DmaPort.FAILED ? DmaPort.FAILED : reader.readInt(descPa + 4);
            if (hi == DmaPort.FAILED) {
                return fault(MaliException.GPU_BUS_FAULT) | BUS;
            }
            long desc = hi << 32 | lo;
            long type = desc & MaliPte.TYPE_MASK;
            if (level < 3 && type == MaliPte.TYPE_TABLE_OR_PAGE) {
                table = MaliPte.address(desc);
                level++;
                continue;
            }
            boolean leaf = (level == 3 && type == MaliPte.TYPE_TABLE_OR_PAGE)
                    || ((level == 1 || level == 2) && type == MaliPte.TYPE_BLOCK);
            if (!leaf) {
                return fault(MaliException.translationFault(level));
            }
            return leaf(desc, level, va, accessType);
        }
    }

    private static long leaf(long desc, int level, long va, int accessType) {
        if ((desc & MaliPte.AF) == 0) {
            return fault(switch (level) {
                case 1 -> MaliException.ACCESS_FLAG_1;
                case 2 -> MaliException.ACCESS_FLAG_2;
                default -> MaliException.ACCESS_FLAG_3;
            });
        }
        boolean writes = accessType == MaliAsReg.ACCESS_WRITE || accessType == MaliAsReg.ACCESS_ATOMIC;
        if ((writes && MaliPte.isReadOnly(desc))
                || (accessType == MaliAsReg.ACCESS_EXECUTE && MaliPte.isNoExec(desc))) {
            return fault(MaliException.permissionFault(level));
        }
        long span = MaliPte.span(level);
        long pa = (MaliPte.address(desc) & -span) | (va & (span - 1));
        if ((pa >>> PA_BITS) != 0) {
            return fault(MaliException.ADDR_SIZE_FAULT_OUT0);
        }
        return pa;
    }
}
