package dev.gpuemu.regs.mali;

/// Exception types the G610 reports in `AS_FAULTSTATUS[7:0]`, `GPU_FAULT_STATUS[7:0]` and the CS
/// `fault`/`fatal` words (`CS_EXCEPTION_TYPE`), with the names panthor prints.
public enum MaliException {
    OK(0x00),
    TERMINATED(0x04),
    KABOOM(0x05),
    EUREKA(0x06),
    ACTIVE(0x08),
    CS_RES_TERM(0x0F),
    CS_CONFIG_FAULT(0x40),
    CS_UNRECOVERABLE(0x41),
    CS_ENDPOINT_FAULT(0x44),
    CS_BUS_FAULT(0x48),
    CS_INSTR_INVALID(0x49),
    CS_CALL_STACK_OVERFLOW(0x4A),
    CS_INHERIT_FAULT(0x4B),
    INSTR_INVALID_PC(0x50),
    INSTR_INVALID_ENC(0x51),
    DATA_INVALID_FAULT(0x58),
    ADDR_RANGE_FAULT(0x5A),
    OOM(0x60),
    CSF_FW_INTERNAL_ERROR(0x68),
    GPU_BUS_FAULT(0x80),
    TRANSLATION_FAULT_0(0xC0),
    TRANSLATION_FAULT_1(0xC1),
    TRANSLATION_FAULT_2(0xC2),
    TRANSLATION_FAULT_3(0xC3),
    TRANSLATION_FAULT_4(0xC4),
    PERM_FAULT_0(0xC8),
    PERM_FAULT_1(0xC9),
    PERM_FAULT_2(0xCA),
    PERM_FAULT_3(0xCB),
    ACCESS_FLAG_1(0xD9),
    ACCESS_FLAG_2(0xDA),
    ACCESS_FLAG_3(0xDB),
    ADDR_SIZE_FAULT_IN(0xE0),
    ADDR_SIZE_FAULT_OUT0(0xE4),
    MEM_ATTR_FAULT_0(0xE8);

    private static final MaliException[] BY_CODE = new MaliException[256];

    static {
        for (MaliException e : values()) {
            BY_CODE[e.code] = e;
        }
    }

    private final int code;

    MaliException(int code) {
        this.code = code;
    }

    /// The 8-bit exception code.
    public int code() {
        return code;
    }

    /// The exception with `code` (low 8 bits), or null for a code the table does not know.
    public static MaliException ofOrNull(int code) {
        return BY_CODE[code & 0xFF];
    }

    /// panthor's name for `code`, `UNKNOWN` when the table lacks it.
    public static String name(int code) {
        MaliException e = ofOrNull(code);
        return e == null ? "UNKNOWN" : e.name();
    }

    /// Translation fault at page-table `level` (0..4; 4 means the final descriptor was invalid).
    public static MaliException translationFault(int level) {
        return values()[TRANSLATION_FAULT_0.ordinal() + Math.clamp(level, 0, 4)];
    }

    /// Permission fault at page-table `level` (0..3).
    public static MaliException permissionFault(int level) {
        return values()[PERM_FAULT_0.ordinal() + Math.clamp(level, 0, 3)];
    }
}
