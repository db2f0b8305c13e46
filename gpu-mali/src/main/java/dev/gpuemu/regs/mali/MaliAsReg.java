package dev.gpuemu.regs.mali;

import static dev.gpuemu.regs.Access.RO;
import static dev.gpuemu.regs.Access.RW;
import static dev.gpuemu.regs.Access.WO;

import dev.gpuemu.regs.Access;
import dev.gpuemu.regs.Field;
import dev.gpuemu.regs.RegisterDef;
import dev.gpuemu.regs.RegisterMaps;
import java.util.List;

/// The registers of one MMU address space, at offsets relative to the space's base
/// (`MaliRegs.asOffset(as, reg)`), with the fields and values of kernel-semantics §5.1.
public enum MaliAsReg implements RegisterDef {
    AS_TRANSTAB(0x00, 8, RW),
    AS_MEMATTR(0x08, 8, RW),
    AS_LOCKADDR(0x10, 8, RW),
    AS_COMMAND(0x18, 4, WO),
    AS_FAULTSTATUS(0x1C, 4, RO, MaliRegs.AS_FAULT_EXCEPTION_TYPE, MaliRegs.AS_FAULT_ACCESS_TYPE, MaliRegs.AS_FAULT_SOURCE_ID),
    AS_FAULTADDRESS(0x20, 8, RO),
    AS_STATUS(0x28, 4, RO),
    AS_TRANSCFG(0x30, 8, RW, MaliRegs.AS_TRANSCFG_ADRMODE, MaliRegs.AS_TRANSCFG_INA_BITS, MaliRegs.AS_TRANSCFG_OUTA_BITS),
    AS_FAULTEXTRA(0x38, 8, RO);

    // AS_COMMAND values.
    public static final int AS_COMMAND_NOP = 0;
    public static final int AS_COMMAND_UPDATE = 1;
    public static final int AS_COMMAND_LOCK = 2;
    public static final int AS_COMMAND_UNLOCK = 3;
    public static final int AS_COMMAND_FLUSH_PT = 4;
    public static final int AS_COMMAND_FLUSH_MEM = 5;

    /// `AS_STATUS` bit 0: a command is in progress.
    public static final int AS_STATUS_ACTIVE = 1;

    /// Smallest lockable region, log2 (32 KiB); see `MaliRegs.AS_LOCKADDR_SIZE`.
    public static final int LOCK_REGION_MIN_LOG2 = 15;

    // AS_TRANSCFG address modes (field MaliRegs.AS_TRANSCFG_ADRMODE).
    public static final int ADRMODE_UNMAPPED = 1;
    public static final int ADRMODE_IDENTITY = 2;
    public static final int ADRMODE_AARCH64_4K = 6;
    public static final int ADRMODE_AARCH64_64K = 8;

    // AS_FAULTSTATUS access types (field MaliRegs.AS_FAULT_ACCESS_TYPE).
    public static final int ACCESS_ATOMIC = 0;
    public static final int ACCESS_EXECUTE = 1;
    public static final int ACCESS_READ = 2;
    public static final int ACCESS_WRITE = 3;

    /// The validated map (offsets relative to the address space).
    public static final List<MaliAsReg> MAP = RegisterMaps.validate(List.of(values()));
    private static final MaliAsReg[] BY_WORD = new MaliAsReg[0x40 / 4];

    static {
        for (MaliAsReg r : values()) {
            BY_WORD[(int) (r.offset / 4)] = r;
        }
    }

    private final long offset;
    private final int width;
    private final Access access;
    private final List<Field> fields;

    MaliAsReg(long offset, int width, Access access, Field... fields) {
        this.offset = offset;
        this.width = width;
        this.access = access;
        this.fields = List.of(fields);
    }

    /// The register starting exactly at `relOffset` within an address space block, or null.
    public static MaliAsReg atOrNull(long relOffset) {
        if (relOffset < 0 || relOffset >= 0x40 || (relOffset & 3) != 0) {
            return null;
        }
        MaliAsReg r = BY_WORD[(int) (relOffset >>> 2)];
        return r != null && r.offset == relOffset ? r : null;
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

    /// Every address-space register resets to 0.
    @Override
    public long resetValue() {
        return 0;
    }

    @Override
    public List<Field> fields() {
        return fields;
    }
}
