package dev.gpuemu.regs.mali;

/// Page-table descriptors of an address space in `AARCH64_4K` mode: the Arm VMSAv8-64 stage-1
/// format with a 4 KiB granule and 48-bit input addresses (four levels, 0..3, 9 index bits each),
/// as Linux's io-pgtable-arm writes them for panthor.
///
/// A table is one 4 KiB page of 512 little-endian 64-bit descriptors in system memory.
/// - bits[1:0] = `0b11`: a **table** descriptor at levels 0..2, a **page** descriptor at level 3;
/// - bits[1:0] = `0b01`: a **block** descriptor at level 1 (1 GiB) or 2 (2 MiB);
/// - anything else: invalid (translation fault at that level).
///
/// Output address: bits[47:12]. Attributes of block and page descriptors: `ATTR_INDX`[4:2] into
/// `AS_MEMATTR`, `AP_RDONLY` (AP[2], bit 7), `AP_UNPRIV` (AP[1], bit 6), `SH`[9:8], `AF` (bit 10;
/// an access with AF clear is an access-flag fault), `XN` (bit 54).
public final class MaliPte {
    private MaliPte() {
    }

    public static final int LEVELS = 4;
    public static final int PAGE_SHIFT = 12;
    public static final long PAGE_SIZE = 1L << PAGE_SHIFT;
    public static final int ENTRIES = 512;
    /// Input address bits.
    public static final int VA_BITS = 48;

    public static final long TYPE_MASK = 0b11;
    public static final long TYPE_TABLE_OR_PAGE = 0b11;
    public static final long TYPE_BLOCK = 0b01;
    public static final long ADDR_MASK = 0x0000_FFFF_FFFF_F000L;
    public static final int ATTR_INDX_SHIFT = 2;
    public static final long ATTR_INDX_MASK = 0b111L << ATTR_INDX_SHIFT;
    public static final long AP_UNPRIV = 1L << 6;
    public static final long AP_RDONLY = 1L << 7;
    public static final long SH_INNER = 3L << 8;
    public static final long AF = 1L << 10;
    public static final long NG = 1L << 11;
    public static final long XN = 1L << 54;

    /// `AS_MEMATTR` index of write-back cacheable memory (what panthor maps buffers with).
    public static final int MEMATTR_IDX_CACHED = 0;
    /// `AS_MEMATTR` index of non-cacheable memory (`DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED`).
    public static final int MEMATTR_IDX_NONCACHED = 1;

    /// Index into the level-`level` table for `va`.
    public static int index(long va, int level) {
        return (int) (va >>> (PAGE_SHIFT + 9 * (3 - level))) & (ENTRIES - 1);
    }

    /// Bytes one descriptor maps at `level` (512 GiB, 1 GiB, 2 MiB, 4 KiB).
    public static long span(int level) {
        return 1L << (PAGE_SHIFT + 9 * (3 - level));
    }

    /// A table descriptor pointing at the next-level table at physical `pa`.
    public static long table(long pa) {
        return (pa & ADDR_MASK) | TYPE_TABLE_OR_PAGE;
    }

    /// A level-3 page descriptor for physical `pa` with access flag set.
    public static long page(long pa, boolean readOnly, boolean noExec, int attrIndex) {
        return (pa & ADDR_MASK) | TYPE_TABLE_OR_PAGE | AF | SH_INNER | AP_UNPRIV
                | ((long) attrIndex << ATTR_INDX_SHIFT & ATTR_INDX_MASK)
                | (readOnly ? AP_RDONLY : 0) | (noExec ? XN : 0);
    }

    /// The output address of a table, block or page descriptor.
    public static long address(long desc) {
        return desc & ADDR_MASK;
    }

    public static boolean isReadOnly(long desc) {
        return (desc & AP_RDONLY) != 0;
    }

    public static boolean isNoExec(long desc) {
        return (desc & XN) != 0;
    }
}
