package dev.gpuemu.regs.nvidia;

import static dev.gpuemu.regs.Access.RO;
import static dev.gpuemu.regs.Access.RW;
import static dev.gpuemu.regs.Access.WO;

import dev.gpuemu.regs.Access;
import dev.gpuemu.regs.Field;
import dev.gpuemu.regs.RegisterDef;
import dev.gpuemu.regs.RegisterMaps;
import java.util.List;

/// The falcon registers the model answers, relative to a falcon's base (`GSP_FALCON_BASE`,
/// `SEC2_FALCON_BASE` in [NvBar0Map]); nova-core's `NV_PFALCON_FALCON_*`, `NV_PFALCON_FBIF_*` and
/// `NV_PRISCV_RISCV_BCR_CTRL` (kernel-semantics §6.3). All 32 bits; `FBIF_TRANSCFG` is an array
/// of 8. Fields are in [FalconRegs].
///
/// `IRQSCLR` is write-1-to-clear of `IRQSTAT` (WO here, W1C in the docs). `HWCFG2`'s reset value
/// and `DMACTL` have their scrubbing bits set: scrubbing runs after every reset and clears after
/// the modelled delay.
/// `CPUCTL` resets to 0 (stopped, not halted); `HALTED` reads 1 only after a program ended.
/// `HWCFG1` (core rev 3, heavy-secure) is an assumption.
public enum FalconReg implements RegisterDef {
    IRQSCLR(0x004, 1, WO, 0),
    IRQSTAT(0x008, 1, RO, 0),
    MAILBOX0(0x040, 1, RW, 0),
    MAILBOX1(0x044, 1, RW, 0),
    HWCFG2(0x0F4, 1, RO, 0x8000_1400L, FalconRegs.HWCFG2_RISCV, FalconRegs.HWCFG2_MEM_SCRUBBING,
            FalconRegs.HWCFG2_RESET_READY),
    CPUCTL(0x100, 1, RW, 0, FalconRegs.CPUCTL_STARTCPU, FalconRegs.CPUCTL_HALTED, FalconRegs.CPUCTL_ALIAS_EN),
    BOOTVEC(0x104, 1, RW, 0),
    DMACTL(0x10C, 1, RW, 0x6, FalconRegs.DMACTL_REQUIRE_CTX, FalconRegs.DMACTL_DMEM_SCRUBBING,
            FalconRegs.DMACTL_IMEM_SCRUBBING),
    DMATRFBASE(0x110, 1, RW, 0, FalconRegs.DMATRFBASE_BASE),
    DMATRFMOFFS(0x114, 1, RW, 0, FalconRegs.DMATRFMOFFS_OFFS),
    DMATRFCMD(0x118, 1, RW, 0x2, FalconRegs.DMATRFCMD_FULL, FalconRegs.DMATRFCMD_IDLE, FalconRegs.DMATRFCMD_SEC,
            FalconRegs.DMATRFCMD_IMEM, FalconRegs.DMATRFCMD_IS_WRITE, FalconRegs.DMATRFCMD_SIZE,
            FalconRegs.DMATRFCMD_CTXDMA, FalconRegs.DMATRFCMD_SET_DMTAG),
    DMATRFFBOFFS(0x11C, 1, RW, 0, FalconRegs.DMATRFFBOFFS_OFFS),
    DMATRFBASE1(0x128, 1, RW, 0, FalconRegs.DMATRFBASE1_BASE),
    HWCFG1(0x12C, 1, RO, 0x33, FalconRegs.HWCFG1_CORE_REV, FalconRegs.HWCFG1_SECURITY_MODEL,
            FalconRegs.HWCFG1_CORE_REV_SUBVERSION),
    CPUCTL_ALIAS(0x130, 1, WO, 0, FalconRegs.CPUCTL_STARTCPU),
    ENGINE(0x3C0, 1, RW, 0, FalconRegs.ENGINE_RESET),
    FBIF_TRANSCFG(0x600, FalconRegs.FBIF_TRANSCFG_COUNT, RW, 0, FalconRegs.FBIF_TRANSCFG_TARGET,
            FalconRegs.FBIF_TRANSCFG_MEM_TYPE),
    FBIF_CTL(0x624, 1, RW, 0, FalconRegs.FBIF_CTL_ALLOW_PHYS_NO_CTX),
    RISCV_BCR_CTRL(0x1668, 1, RW, 0x1, FalconRegs.BCR_CTRL_VALID, FalconRegs.BCR_CTRL_CORE_SELECT,
            FalconRegs.BCR_CTRL_BR_FETCH);

    /// The validated map.
    public static final List<FalconReg> MAP = RegisterMaps.validate(List.of(values()));
    private static final FalconReg[] BY_WORD = new FalconReg[FalconRegs.FALCON_BLOCK_SIZE / 4];

    static {
        for (FalconReg r : values()) {
            for (int i = 0; i < r.count; i++) {
                int w = (int) (r.offset / 4) + i;
                if (BY_WORD[w] != null) {
                    throw new IllegalStateException(r + " overlaps " + BY_WORD[w]);
                }
                BY_WORD[w] = r;
            }
        }
    }

    private final long offset;
    private final int count;
    private final Access access;
    private final long resetValue;
    private final List<Field> fields;

    FalconReg(long offset, int count, Access access, long resetValue, Field... fields) {
        this.offset = offset;
        this.count = count;
        this.access = access;
        this.resetValue = resetValue;
        this.fields = List.of(fields);
    }

    /// The register (or array) containing falcon-relative offset `offset`, or null. Allocation free.
    public static FalconReg atOrNull(long offset) {
        if (offset < 0 || offset >= FalconRegs.FALCON_BLOCK_SIZE || (offset & 3) != 0) {
            return null;
        }
        return BY_WORD[(int) (offset >>> 2)];
    }

    /// Array index of falcon-relative `offset` inside this register (0 for plain registers).
    public int indexOf(long offset) {
        return (int) ((offset - this.offset) >>> 2);
    }

    /// Falcon-relative offset of element `i`.
    public long offset(int i) {
        return offset + 4L * java.util.Objects.checkIndex(i, count);
    }

    /// Number of elements (1 for plain registers).
    public int count() {
        return count;
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
