package dev.gpuemu.regs.mali;

import static dev.gpuemu.regs.Access.RO;
import static dev.gpuemu.regs.Access.RW;
import static dev.gpuemu.regs.Access.WO;

import dev.gpuemu.regs.Access;
import dev.gpuemu.regs.Field;
import dev.gpuemu.regs.RegisterDef;
import dev.gpuemu.regs.RegisterMaps;
import java.util.List;

/// The GPU control block and the JOB and MMU interrupt blocks of the Mali-G610, with the reset
/// values an RK3588 board reads (kernel-semantics §5.1, §5.3). 64-bit registers are listed once
/// with width 8 (`_LO` at the offset, `_HI` at offset + 4); the bus accepts 32-bit halves.
///
/// Access: RO registers ignore writes (counted as guest errors); WO registers read as 0;
/// `*_IRQ_CLEAR` is write-1-to-clear ([Access#WO] here, W1C in docs/devices/mali-g610.md).
/// Per-AS registers are [MaliAsReg]; doorbells and `LATEST_FLUSH_ID` are in [MaliRegs].
///
/// GPU_ID, L2/TILER/MEM/MMU_FEATURES, AS_PRESENT and the *_PRESENT masks are the values RK3588
/// boards print; CSF_ID, CORE_FEATURES, THREAD_*, TEXTURE_FEATURES* and COHERENCY_FEATURES are
/// assumptions (no public register dump was found).
public enum MaliReg implements RegisterDef {
    GPU_ID(0x000, 4, RO, MaliRegs.G610_GPU_ID, MaliRegs.ARCH_MAJOR, MaliRegs.ARCH_MINOR, MaliRegs.ARCH_REV,
            MaliRegs.PRODUCT_MAJOR, MaliRegs.VERSION_MAJOR, MaliRegs.VERSION_MINOR, MaliRegs.VERSION_STATUS),
    L2_FEATURES(0x004, 4, RO, 0x0712_0306L),
    CORE_FEATURES(0x008, 4, RO, 0x0000_0002L),
    TILER_FEATURES(0x00C, 4, RO, 0x0000_0809L),
    MEM_FEATURES(0x010, 4, RO, 0x0000_0301L),
    MMU_FEATURES(0x014, 4, RO, 0x0000_2830L, MaliRegs.MMU_VA_BITS, MaliRegs.MMU_PA_BITS),
    AS_PRESENT(0x018, 4, RO, 0x0000_00FFL),
    CSF_ID(0x01C, 4, RO, 0x0400_0410L),
    GPU_IRQ_RAWSTAT(0x020, 4, RW, 0),
    GPU_IRQ_CLEAR(0x024, 4, WO, 0),
    GPU_IRQ_MASK(0x028, 4, RW, 0),
    GPU_IRQ_STATUS(0x02C, 4, RO, 0),
    GPU_CMD(0x030, 4, WO, 0),
    GPU_STATUS(0x034, 4, RO, 0),
    GPU_FAULT_STATUS(0x03C, 4, RO, 0),
    GPU_FAULT_ADDR(0x040, 8, RO, 0),
    GPU_PWR_KEY(0x050, 4, WO, 0),
    PWR_OVERRIDE0(0x054, 4, RW, 0),
    PWR_OVERRIDE1(0x058, 4, RW, 0),
    TIMESTAMP_OFFSET(0x088, 8, RW, 0),
    CYCLE_COUNT(0x090, 8, RO, 0),
    TIMESTAMP(0x098, 8, RO, 0),
    THREAD_MAX_THREADS(0x0A0, 4, RO, 0x0000_0800L),
    THREAD_MAX_WORKGROUP_SIZE(0x0A4, 4, RO, 0x0000_0400L),
    THREAD_MAX_BARRIER_SIZE(0x0A8, 4, RO, 0x0000_0400L),
    THREAD_FEATURES(0x0AC, 4, RO, 0x0400_0400L),
    TEXTURE_FEATURES0(0x0B0, 4, RO, 0x00FE_001EL),
    TEXTURE_FEATURES1(0x0B4, 4, RO, 0x0000_FFFFL),
    TEXTURE_FEATURES2(0x0B8, 4, RO, 0x9F81_FFFFL),
    TEXTURE_FEATURES3(0x0BC, 4, RO, 0x0000_0000L),
    SHADER_PRESENT(0x100, 8, RO, 0x0005_0005L),
    TILER_PRESENT(0x110, 8, RO, 0x1L),
    L2_PRESENT(0x120, 8, RO, 0x1L),
    SHADER_READY(0x140, 8, RO, 0),
    TILER_READY(0x150, 8, RO, 0),
    L2_READY(0x160, 8, RO, 0),
    SHADER_PWRON(0x180, 8, WO, 0),
    TILER_PWRON(0x190, 8, WO, 0),
    L2_PWRON(0x1A0, 8, WO, 0),
    SHADER_PWROFF(0x1C0, 8, WO, 0),
    TILER_PWROFF(0x1D0, 8, WO, 0),
    L2_PWROFF(0x1E0, 8, WO, 0),
    SHADER_PWRTRANS(0x200, 8, RO, 0),
    TILER_PWRTRANS(0x210, 8, RO, 0),
    L2_PWRTRANS(0x220, 8, RO, 0),
    SHADER_PWRACTIVE(0x240, 8, RO, 0),
    TILER_PWRACTIVE(0x250, 8, RO, 0),
    L2_PWRACTIVE(0x260, 8, RO, 0),
    GPU_REVID(0x280, 4, RO, 0),
    COHERENCY_FEATURES(0x300, 4, RO, 0x0000_0001L),
    COHERENCY_PROTOCOL(0x304, 4, RW, MaliRegs.COHERENCY_NONE),
    MCU_CONTROL(0x700, 4, RW, MaliRegs.MCU_CONTROL_DISABLE),
    MCU_STATUS(0x704, 4, RO, MaliRegs.MCU_STATUS_DISABLED),
    JOB_IRQ_RAWSTAT(0x1000, 4, RW, 0),
    JOB_IRQ_CLEAR(0x1004, 4, WO, 0),
    JOB_IRQ_MASK(0x1008, 4, RW, 0),
    JOB_IRQ_STATUS(0x100C, 4, RO, 0),
    MMU_IRQ_RAWSTAT(0x2000, 4, RW, 0),
    MMU_IRQ_CLEAR(0x2004, 4, WO, 0),
    MMU_IRQ_MASK(0x2008, 4, RW, 0),
    MMU_IRQ_STATUS(0x200C, 4, RO, 0);

    /// The validated map.
    public static final List<MaliReg> MAP = RegisterMaps.validate(List.of(values()));
    /// Registers by 32-bit word index, up to the end of the MMU IRQ block.
    private static final MaliReg[] BY_WORD = new MaliReg[0x2010 / 4];

    static {
        for (MaliReg r : values()) {
            BY_WORD[(int) (r.offset / 4)] = r;
        }
    }

    private final long offset;
    private final int width;
    private final Access access;
    private final long resetValue;
    private final List<Field> fields;

    MaliReg(long offset, int width, Access access, long resetValue, Field... fields) {
        this.offset = offset;
        this.width = width;
        this.access = access;
        this.resetValue = resetValue;
        this.fields = List.of(fields);
    }

    /// The register starting exactly at `offset`, or null (no allocation).
    public static MaliReg atOrNull(long offset) {
        if (offset < 0 || offset >= 0x2010 || (offset & 3) != 0) {
            return null;
        }
        MaliReg r = BY_WORD[(int) (offset >>> 2)];
        return r != null && r.offset == offset ? r : null;
    }

    /// The 64-bit register whose high half is at `offset` (`offset - 4` starts it), or null.
    public static MaliReg highHalfOrNull(long offset) {
        MaliReg r = atOrNull(offset - 4);
        return r != null && r.width == 8 ? r : null;
    }

    @Override
    public long offset() {
        return offset;
    }

    @Override
    public int width() {
        return width;
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
