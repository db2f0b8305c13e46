package dev.gpuemu.regs.nvidia;

import static dev.gpuemu.regs.Access.RO;
import static dev.gpuemu.regs.Access.RW;

import dev.gpuemu.regs.Access;
import dev.gpuemu.regs.Field;
import dev.gpuemu.regs.RegisterDef;
import dev.gpuemu.regs.RegisterMaps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/// Every BAR0 register outside the falcons, the usermode doorbell and the host window that the
/// GA102 model answers (kernel-semantics §6.2, §6.3), by BAR0 offset. All are 32 bits wide;
/// register arrays (`NV_PBUS_SW_SCRATCH[64]`, the leaves, the FPF fuses) are one constant with a
/// [#count()] (stride 4). Falcon-relative registers are [FalconReg].
///
/// Reset values are those of the default configuration (GA102 rev a1, 256 MiB VRAM); the four
/// registers that depend on the configuration (`BOOT_0`, `LOCAL_MEMORY_RANGE`, `GROUP_42`,
/// `VGA_WORKSPACE_BASE`) give theirs through [#resetValueFor]. Registers that change on their own
/// (the timer, GFW boot) list their value at the instant of reset.
///
/// `*_LEAF` registers are write-1-to-clear ([#isW1c()]): [Access#RW] here, W1C in the docs.
/// The interrupt registers at 0x100..0x31C are gpuemu's own tree (docs/devices/nvidia-ga102.md).
/// `NV_FUSE_STATUS_OPT_DISPLAY_GM107` is answered only on chipsets whose [NvHal] puts the fuse
/// there (Turing); `NV_PFB_NISO_FLUSH_SYSMEM_ADDR_HI` only on chipsets that have it (GA100+).
public enum NvReg implements RegisterDef {
    NV_PMC_BOOT_0(0x000000, 1, RO, 0x1720_00A1L, NvRegs.BOOT_0_MINOR_REVISION, NvRegs.BOOT_0_MAJOR_REVISION,
            NvRegs.BOOT_0_ARCHITECTURE_1, NvRegs.BOOT_0_IMPLEMENTATION, NvRegs.BOOT_0_ARCHITECTURE_0),
    NV_PMC_INTR_0(0x000100, 1, RO, 0, NvRegs.PMC_INTR_STALL, NvRegs.PMC_INTR_NONSTALL),
    NV_PMC_INTR_EN_0(0x000140, 1, RW, 0, NvRegs.PMC_INTR_STALL, NvRegs.PMC_INTR_NONSTALL),
    NV_PMC_ENABLE(0x000200, 1, RW, 0x0000_0100L, NvRegs.PMC_ENABLE_PFIFO),
    NV_PMC_INTR_STALL_LEAF(0x000300, 2, RW, 0),
    NV_PMC_INTR_NONSTALL_LEAF(0x000308, 2, RW, 0),
    NV_PMC_INTR_STALL_LEAF_EN(0x000310, 2, RW, 0),
    NV_PMC_INTR_NONSTALL_LEAF_EN(0x000318, 2, RW, 0),
    NV_PBUS_SW_SCRATCH(0x001400, NvRegs.SW_SCRATCH_COUNT, RW, 0),
    NV_PTIMER_TIME_0(0x009400, 1, RO, 0),
    NV_PTIMER_TIME_1(0x009410, 1, RO, 0),
    NV_FUSE_STATUS_OPT_DISPLAY_GM107(NvRegs.FUSE_STATUS_OPT_DISPLAY_GM107, 1, RO, 0,
            NvRegs.FUSE_STATUS_OPT_DISPLAY_DATA),
    NV_PFB_NISO_FLUSH_SYSMEM_ADDR(0x100C10, 1, RW, 0, NvRegs.FLUSH_SYSMEM_ADDR_LO),
    NV_PFB_NISO_FLUSH_SYSMEM_ADDR_HI(0x100C40, 1, RW, 0, NvRegs.FLUSH_SYSMEM_ADDR_HI),
    NV_PFB_PRI_MMU_LOCAL_MEMORY_RANGE(0x100CE0, 1, RO, 0x0000_0203L, NvRegs.LOCAL_MEMORY_RANGE_LOWER_SCALE,
            NvRegs.LOCAL_MEMORY_RANGE_LOWER_MAG, NvRegs.LOCAL_MEMORY_RANGE_ECC_MODE),
    NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_PRIV_LEVEL_MASK(0x118128, 1, RO, 0,
            NvRegs.PRIV_LEVEL_MASK_READ_PROTECTION_LEVEL0),
    NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_0_GFW_BOOT(0x118234, 1, RO, 0, NvRegs.GFW_BOOT_PROGRESS),
    NV_PGC6_AON_SECURE_SCRATCH_GROUP_42(0x1183A4, 1, RO, 0x0000_0100L, NvRegs.GROUP_42_USABLE_FB_MIB),
    NV_PFB_PRI_MMU_WPR2_ADDR_LO(0x1FA824, 1, RO, 0, NvRegs.WPR2_ADDR_VAL),
    NV_PFB_PRI_MMU_WPR2_ADDR_HI(0x1FA828, 1, RO, 0, NvRegs.WPR2_ADDR_VAL),
    NV_PDISP_VGA_WORKSPACE_BASE(0x625F04, 1, RO, 0x000F_F008L, NvRegs.VGA_WORKSPACE_STATUS_VALID,
            NvRegs.VGA_WORKSPACE_ADDR),
    NV_FUSE_STATUS_OPT_DISPLAY(NvRegs.FUSE_STATUS_OPT_DISPLAY_GA100, 1, RO, 0, NvRegs.FUSE_STATUS_OPT_DISPLAY_DATA),
    NV_FUSE_OPT_FPF_NVDEC_UCODE1_VERSION(0x824100, NvRegs.FPF_UCODE_VERSION_COUNT, RO, 0x1),
    NV_FUSE_OPT_FPF_SEC2_UCODE1_VERSION(0x824140, NvRegs.FPF_UCODE_VERSION_COUNT, RO, 0x1),
    NV_FUSE_OPT_FPF_GSP_UCODE1_VERSION(0x8241C0, NvRegs.FPF_UCODE_VERSION_COUNT, RO, 0x1);

    /// The validated map (one entry per constant; arrays are checked separately for overlap).
    public static final List<NvReg> MAP = RegisterMaps.validate(List.of(values()));
    private static final NvReg[] SORTED;
    private static final long[] STARTS;

    static {
        List<NvReg> sorted = new ArrayList<>(List.of(values()));
        sorted.sort(Comparator.comparingLong(NvReg::offset));
        for (int i = 1; i < sorted.size(); i++) {
            NvReg a = sorted.get(i - 1);
            if (a.end() > sorted.get(i).offset) {
                throw new IllegalStateException(sorted.get(i) + " overlaps the array " + a);
            }
        }
        SORTED = sorted.toArray(NvReg[]::new);
        STARTS = Arrays.stream(SORTED).mapToLong(NvReg::offset).toArray();
    }

    private final long offset;
    private final int count;
    private final Access access;
    private final long resetValue;
    private final List<Field> fields;

    NvReg(long offset, int count, Access access, long resetValue, Field... fields) {
        this.offset = offset;
        this.count = count;
        this.access = access;
        this.resetValue = resetValue;
        this.fields = List.of(fields);
    }

    /// The register (or register array) containing BAR0 offset `bar0Offset`, or null. Allocation
    /// free (binary search); use [#indexOf] for the element.
    public static NvReg atOrNull(long bar0Offset) {
        if ((bar0Offset & 3) != 0) {
            return null;
        }
        int lo = 0;
        int hi = STARTS.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (STARTS[mid] <= bar0Offset) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0) {
            return null;
        }
        NvReg r = SORTED[found];
        return bar0Offset < r.end() ? r : null;
    }

    /// The array index of `bar0Offset` inside this register (0 for plain registers).
    public int indexOf(long bar0Offset) {
        return (int) ((bar0Offset - offset) >>> 2);
    }

    /// BAR0 offset of element `i` (0 for plain registers).
    ///
    /// @throws IndexOutOfBoundsException outside `0..count-1`
    public long offset(int i) {
        return offset + 4L * java.util.Objects.checkIndex(i, count);
    }

    /// Number of elements: 1 for plain registers, the array length otherwise.
    public int count() {
        return count;
    }

    /// One past the last byte of the register or array.
    public long end() {
        return offset + 4L * count;
    }

    /// Whether writes clear the bits written as 1 (the interrupt leaves).
    public boolean isW1c() {
        return this == NV_PMC_INTR_STALL_LEAF || this == NV_PMC_INTR_NONSTALL_LEAF;
    }

    /// The reset value on `chipset` at `revision` (the BOOT_0 revision byte, `0xA1` = a.1) with
    /// `vramBytes` of VRAM; for registers that do not depend on the configuration, [#resetValue()].
    public long resetValueFor(Chipset chipset, int revision, long vramBytes) {
        return switch (this) {
            case NV_PMC_BOOT_0 -> Integer.toUnsignedLong(Boot0.of(chipset, revision).encode());
            case NV_PFB_PRI_MMU_LOCAL_MEMORY_RANGE -> NvRegs.encodeLocalMemoryRange(vramBytes);
            case NV_PGC6_AON_SECURE_SCRATCH_GROUP_42 -> vramBytes >>> 20;
            case NV_PDISP_VGA_WORKSPACE_BASE ->
                    Integer.toUnsignedLong(NvRegs.encodeVgaWorkspace(vramBytes - NvRegs.VGA_WORKSPACE_SIZE));
            default -> resetValue;
        };
    }

    @Override
    public long offset() {
        return offset;
    }

    @Override
    public int width() {
        return 4;
    }

    @Override
    public Access access() {
        return access;
    }

    @Override
    public long resetValue() {
        return resetValue;
    }

    @Override
    public List<Field> fields() {
        return fields;
    }
}
