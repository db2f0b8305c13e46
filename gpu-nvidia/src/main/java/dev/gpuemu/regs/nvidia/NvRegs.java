package dev.gpuemu.regs.nvidia;

import dev.gpuemu.regs.Field;

/// Fields and constants of the BAR0 registers in [NvReg] (kernel-semantics §6.2, §6.3), with the
/// encode and decode helpers the device model and nova-core share. Falcon fields are in
/// [FalconRegs].
///
/// ## Priv errors
/// A read of an offset inside BAR0 that the model does not answer returns [#PRI_BAD_READ]
/// (`0xBADF1100`); a read the priv level forbids (`GFW_BOOT` before FWSEC lowered its protection)
/// returns [#PRI_PRIV_LEVEL_VIOLATION] (`0xBADF5040`). Real GPUs answer priv errors with
/// `0xBADFxxxx` patterns (nouveau treats `(v & 0xFFFF0000) == 0xBADF0000` as a priv error); the
/// low halves here are gpuemu's choice. Use [#isPriError] to test.
public final class NvRegs {
    private NvRegs() {
    }

    // --- PCI identity and BARs ---

    public static final int VENDOR_ID = 0x10DE;
    /// PCI class: display controller, VGA compatible.
    public static final int CLASS_CODE = 0x030000;
    /// PCI class DISPLAY_3D (also matched by nova-core).
    public static final int CLASS_CODE_3D = 0x030200;

    // --- priv error patterns ---

    public static final int PRI_BAD_READ = 0xBADF_1100;
    public static final int PRI_PRIV_LEVEL_VIOLATION = 0xBADF_5040;

    /// Whether a 32-bit read returned a priv error pattern.
    public static boolean isPriError(int value) {
        return (value & 0xFFFF_0000) == 0xBADF_0000;
    }

    // --- NV_PMC_BOOT_0 ---

    public static final Field BOOT_0_MINOR_REVISION = new Field("MINOR_REVISION", 3, 0);
    public static final Field BOOT_0_MAJOR_REVISION = new Field("MAJOR_REVISION", 7, 4);
    public static final Field BOOT_0_ARCHITECTURE_1 = Field.bit("ARCHITECTURE_1", 8);
    public static final Field BOOT_0_IMPLEMENTATION = new Field("IMPLEMENTATION", 23, 20);
    public static final Field BOOT_0_ARCHITECTURE_0 = new Field("ARCHITECTURE_0", 28, 24);

    // --- NV_PMC interrupt tree (gpuemu's layout, docs/devices/nvidia-ga102.md "Interrupts") ---

    /// `NV_PMC_INTR_0` / `NV_PMC_INTR_EN_0` bit: a stall leaf bit is pending and enabled.
    public static final Field PMC_INTR_STALL = Field.bit("STALL", 0);
    /// `NV_PMC_INTR_0` / `NV_PMC_INTR_EN_0` bit: a non-stall leaf bit is pending and enabled.
    public static final Field PMC_INTR_NONSTALL = Field.bit("NONSTALL", 1);
    /// Channels the interrupt leaves have a bit for (two 32-bit words per leaf).
    public static final int INTR_CHANNELS = 64;

    /// Leaf word index of `channel` (0 or 1).
    public static int intrLeafWord(int channel) {
        return channel >>> 5;
    }

    /// Bit of `channel` inside its leaf word.
    public static int intrLeafBit(int channel) {
        return 1 << (channel & 31);
    }

    /// `NV_PMC_ENABLE` bit 8: the host/FIFO engine (channels, copy engine). Clearing it resets the
    /// host block.
    public static final Field PMC_ENABLE_PFIFO = Field.bit("PFIFO", 8);

    // --- NV_PBUS ---

    public static final int SW_SCRATCH_COUNT = 64;
    /// The scratch register FWSEC-FRTS reports its error code in.
    public static final int SW_SCRATCH_FRTS_ERR_INDEX = 0xE;
    /// `NV_PBUS_SW_SCRATCH[0xe]` bits 31:16: FRTS error code (0 = success).
    public static final Field SW_SCRATCH_FRTS_ERR_CODE = new Field("FRTS_ERR_CODE", 31, 16);

    // --- NV_PFB sysmem flush ---

    /// `NV_PFB_NISO_FLUSH_SYSMEM_ADDR`: address bits 39:8.
    public static final Field FLUSH_SYSMEM_ADDR_LO = new Field("ADR_39_08", 31, 0);
    /// `NV_PFB_NISO_FLUSH_SYSMEM_ADDR_HI`: address bits 63:40 (GA100+).
    public static final Field FLUSH_SYSMEM_ADDR_HI = new Field("ADR_63_40", 23, 0);

    /// The LO register value for flush page `addr`: `addr >> 8` (bits 39:8).
    public static int sysmemFlushLo(long addr) {
        return (int) (addr >>> 8);
    }

    /// The HI register value for flush page `addr`: `addr >> 40` (bits 63:40).
    public static int sysmemFlushHi(long addr) {
        return (int) (addr >>> 40) & 0xFF_FFFF;
    }

    /// The flush page address held by LO and HI.
    public static long sysmemFlushAddr(int lo, int hi) {
        return (Integer.toUnsignedLong(hi) & 0xFF_FFFFL) << 40 | Integer.toUnsignedLong(lo) << 8;
    }

    // --- NV_PFB_PRI_MMU_LOCAL_MEMORY_RANGE ---

    public static final Field LOCAL_MEMORY_RANGE_LOWER_SCALE = new Field("LOWER_SCALE", 3, 0);
    public static final Field LOCAL_MEMORY_RANGE_LOWER_MAG = new Field("LOWER_MAG", 9, 4);
    public static final Field LOCAL_MEMORY_RANGE_ECC_MODE = Field.bit("ECC_MODE", 30);

    /// Whether `bytes` of VRAM can be encoded (`mag << scale` MiB with mag < 64, scale < 16).
    public static boolean localMemoryRangeEncodable(long bytes) {
        return encodeLocalMemoryRangeOrMinus1(bytes) >= 0;
    }

    /// The register value for `bytes` of VRAM without ECC: the smallest scale whose magnitude fits.
    ///
    /// @throws IllegalArgumentException when the size cannot be encoded
    public static int encodeLocalMemoryRange(long bytes) {
        long v = encodeLocalMemoryRangeOrMinus1(bytes);
        if (v < 0) {
            throw new IllegalArgumentException("VRAM size not encodable: " + bytes + " bytes");
        }
        return (int) v;
    }

    private static long encodeLocalMemoryRangeOrMinus1(long bytes) {
        if (bytes <= 0 || (bytes & ((1L << 20) - 1)) != 0) {
            return -1;
        }
        long mib = bytes >>> 20;
        for (int scale = 0; scale < 16; scale++) {
            if ((mib & ((1L << scale) - 1)) != 0) {
                return -1;
            }
            long mag = mib >>> scale;
            if (mag < 64) {
                return LOCAL_MEMORY_RANGE_LOWER_MAG.with(LOCAL_MEMORY_RANGE_LOWER_SCALE.with(0, scale), mag);
            }
        }
        return -1;
    }

    /// The usable VRAM the register describes, as nova-core computes it: `(mag << scale)` MiB,
    /// times 15/16 with ECC.
    public static long decodeLocalMemoryRange(int raw) {
        long mib = LOCAL_MEMORY_RANGE_LOWER_MAG.get(raw) << LOCAL_MEMORY_RANGE_LOWER_SCALE.get(raw);
        long bytes = mib << 20;
        return LOCAL_MEMORY_RANGE_ECC_MODE.isSet(raw) ? bytes / 16 * 15 : bytes;
    }

    // --- WPR2 ---

    /// `NV_PFB_PRI_MMU_WPR2_ADDR_LO/HI` bits 31:4: address bits 43:12.
    public static final Field WPR2_ADDR_VAL = new Field("VAL", 31, 4);

    /// The WPR2 address a LO or HI register value holds (`VAL << 12`).
    public static long wpr2Addr(int raw) {
        return WPR2_ADDR_VAL.get(raw) << 12;
    }

    /// The register value for WPR2 address `addr` (4 KiB aligned).
    public static int encodeWpr2Addr(long addr) {
        return (int) WPR2_ADDR_VAL.with(0, (addr >>> 12) & 0x0FFF_FFFFL);
    }

    // --- PGC6 / GFW boot ---

    /// `..._GROUP_05_PRIV_LEVEL_MASK` bit 0: level-0 (CPU) reads of group 05 allowed.
    public static final Field PRIV_LEVEL_MASK_READ_PROTECTION_LEVEL0 = Field.bit("READ_PROTECTION_LEVEL0", 0);
    /// `..._GROUP_05_0_GFW_BOOT` bits 7:0: devinit progress.
    public static final Field GFW_BOOT_PROGRESS = new Field("PROGRESS", 7, 0);
    /// GFW boot progress value meaning "completed".
    public static final int GFW_BOOT_PROGRESS_COMPLETED = 0xFF;
    /// `..._GROUP_42` bits 31:0: usable frame-buffer size in MiB.
    public static final Field GROUP_42_USABLE_FB_MIB = new Field("USABLE_FB_SIZE_MIB", 31, 0);

    // --- PDISP ---

    public static final Field VGA_WORKSPACE_STATUS_VALID = Field.bit("STATUS_VALID", 3);
    public static final Field VGA_WORKSPACE_ADDR = new Field("ADDR", 31, 8);

    /// The register value for a valid VGA workspace at `addr` (64 KiB aligned).
    public static int encodeVgaWorkspace(long addr) {
        return (int) VGA_WORKSPACE_ADDR.with(VGA_WORKSPACE_STATUS_VALID.with(0, 1), (addr >>> 16) & 0xFF_FFFF);
    }

    /// The workspace address (`ADDR << 16`), meaningful when [#VGA_WORKSPACE_STATUS_VALID] is set.
    public static long vgaWorkspaceAddr(int raw) {
        return VGA_WORKSPACE_ADDR.get(raw) << 16;
    }

    /// Distance of the VGA workspace from the end of VRAM in the model: 1 MiB.
    public static final long VGA_WORKSPACE_SIZE = 1L << 20;

    // --- FUSE ---

    /// BAR0 offset of `NV_FUSE_STATUS_OPT_DISPLAY` on gm107..Turing.
    public static final int FUSE_STATUS_OPT_DISPLAY_GM107 = 0x021C04;
    /// BAR0 offset of `NV_FUSE_STATUS_OPT_DISPLAY` on GA100+.
    public static final int FUSE_STATUS_OPT_DISPLAY_GA100 = 0x820C04;
    /// `NV_FUSE_STATUS_OPT_DISPLAY` bit 0: display engine fused off.
    public static final Field FUSE_STATUS_OPT_DISPLAY_DATA = Field.bit("DATA", 0);
    /// Entries of each `NV_FUSE_OPT_FPF_*_UCODE1_VERSION` array.
    public static final int FPF_UCODE_VERSION_COUNT = 16;

    /// The fuse version a `NV_FUSE_OPT_FPF_*_UCODE1_VERSION[i]` value encodes, as nova-core reads
    /// it: the index of the highest set bit plus one (0 when no bit is set).
    public static int fpfVersion(int raw) {
        return 32 - Integer.numberOfLeadingZeros(raw);
    }
}
