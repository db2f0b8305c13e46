package dev.gpuemu.regs.nvidia;

import dev.gpuemu.regs.Field;

/// The GMMU's version-2 page directories (Pascal and later, `NV_MMU_VER2_PDE` /
/// `NV_MMU_VER2_DUAL_PDE` in NVIDIA's dev_mmu.h), with the level geometry nouveau's gp100 VMM
/// uses: a 49-bit VA walked through five levels.
///
/// | level | VA bits | entries | entry size | entry kind |
/// |---|---|---|---|---|
/// | PDE3 (the PDB) | 48:47 | 4 | 8 | PDE |
/// | PDE2 | 46:38 | 512 | 8 | PDE |
/// | PDE1 | 37:29 | 512 | 8 | PDE |
/// | PDE0 | 28:21 | 256 | 16 | dual PDE (big half at +0, small half at +8) |
/// | PTE (small, 4 KiB) | 20:12 | 512 | 8 | [GmmuPte] |
///
/// A PDE: `IS_PTE[0]` (0 for a directory), `APERTURE[2:1]` (0 invalid, 1 video, 2 system
/// coherent, 3 system non-coherent), `VOL[3]`, `NO_ATS[5]`, `ADDRESS[53:8]` = next table's
/// address >> 12 (video memory: `[32:8]`). A dual PDE's small half has the same layout in its
/// upper 8 bytes (`APERTURE_SMALL[66:65]`, `ADDRESS_SMALL[117:72]`); its big half points at a
/// 64 KiB-page table (`ADDRESS_BIG[53:4]` = address >> 8).
///
/// gpuemu models 4 KiB pages only: a PDE with `IS_PTE` set (huge pages) or a PDE0 whose small
/// half is invalid while its big half is valid faults with `NV_PFAULT_FAULT_TYPE_PDE_SIZE`.
/// Tables are naturally aligned: 4 KiB for PDE2..PTE; the PDB and every table must be 4 KiB aligned.
public final class GmmuPde {
    /// VA width.
    public static final int VA_BITS = 49;
    /// Page size (small pages).
    public static final int PAGE_SHIFT = 12;
    public static final long PAGE_SIZE = 1L << PAGE_SHIFT;

    public static final Field IS_PTE = Field.bit("IS_PTE", 0);
    public static final Field APERTURE = new Field("APERTURE", 2, 1);
    public static final Field VOL = Field.bit("VOL", 3);
    public static final Field NO_ATS = Field.bit("NO_ATS", 5);
    public static final Field ADDRESS_SYS = new Field("ADDRESS_SYS", 53, 8);
    public static final Field ADDRESS_VID = new Field("ADDRESS_VID", 32, 8);
    /// The big-page half of a dual PDE: address >> 8 in `[53:4]`.
    public static final Field ADDRESS_BIG_SYS = new Field("ADDRESS_BIG_SYS", 53, 4);

    public static final int APERTURE_INVALID = 0;
    public static final int APERTURE_VIDEO_MEMORY = 1;
    public static final int APERTURE_SYSTEM_COHERENT_MEMORY = 2;
    public static final int APERTURE_SYSTEM_NON_COHERENT_MEMORY = 3;

    /// Bytes of a PDE (levels 3..1) and of a dual PDE (level 0).
    public static final int PDE_SIZE = 8;
    public static final int DUAL_PDE_SIZE = 16;

    private GmmuPde() {
    }

    /// Index into the PDE3 table (the PDB).
    public static int pde3Index(long va) {
        return (int) (va >>> 47) & 0x3;
    }

    public static int pde2Index(long va) {
        return (int) (va >>> 38) & 0x1FF;
    }

    public static int pde1Index(long va) {
        return (int) (va >>> 29) & 0x1FF;
    }

    /// Index into the PDE0 table (16-byte entries).
    public static int pde0Index(long va) {
        return (int) (va >>> 21) & 0xFF;
    }

    /// Index into the small-page table.
    public static int pteIndex(long va) {
        return (int) (va >>> 12) & 0x1FF;
    }

    /// A directory entry pointing at the table at `tableAddr` (4 KiB aligned) in `aperture`.
    public static long encode(int aperture, long tableAddr, boolean vol) {
        if (aperture < APERTURE_VIDEO_MEMORY || aperture > APERTURE_SYSTEM_NON_COHERENT_MEMORY) {
            throw new IllegalArgumentException("aperture " + aperture);
        }
        if ((tableAddr & (PAGE_SIZE - 1)) != 0 || tableAddr < 0) {
            throw new IllegalArgumentException("table 0x" + Long.toHexString(tableAddr));
        }
        Field addr = aperture == APERTURE_VIDEO_MEMORY ? ADDRESS_VID : ADDRESS_SYS;
        return addr.with((long) aperture << 1 | (vol ? 1L << 3 : 0), tableAddr >>> PAGE_SHIFT);
    }

    /// The next table's address of a directory entry.
    public static long tableAddress(long pde) {
        return aperture(pde) == APERTURE_VIDEO_MEMORY
                ? ADDRESS_VID.get(pde) << PAGE_SHIFT
                : ADDRESS_SYS.get(pde) << PAGE_SHIFT;
    }

    public static int aperture(long pde) {
        return (int) (pde >>> 1) & 3;
    }

    /// Whether the entry is a PTE (a huge page) rather than a directory.
    public static boolean isPte(long pde) {
        return (pde & 1) != 0;
    }

    /// The upper (small-page) half of a dual PDE pointing at a 4 KiB-page table; the lower (big)
    /// half of such a dual PDE is 0 (invalid).
    public static long dualSmall(int aperture, long tableAddr, boolean vol) {
        return encode(aperture, tableAddr, vol);
    }
}
