package dev.gpuemu.regs.mali;

/// Opcodes of the Valhall (v10) command-stream instructions: bits[63:56] of each 64-bit
/// instruction (Mesa genxml v10 `CS Opcode`). [#modelled()] says which ones the emulated
/// firmware executes; any other opcode stops the stream with `CS_INSTR_INVALID`
/// (docs/devices/mali-g610.md lists the subset and its semantics).
public enum CsOpcode {
    NOP(0, true),
    MOVE48(1, true),
    MOVE32(2, true),
    WAIT(3, true),
    RUN_COMPUTE(4, true),
    RUN_TILING(5, false),
    RUN_IDVS(6, false),
    RUN_FRAGMENT(7, false),
    RUN_FULLSCREEN(8, false),
    FINISH_TILING(9, false),
    FINISH_FRAGMENT(11, false),
    ADD_IMMEDIATE32(16, true),
    ADD_IMMEDIATE64(17, true),
    COMPARE_SELECT32(18, false),
    LOAD_MULTIPLE(20, true),
    STORE_MULTIPLE(21, true),
    BRANCH(22, true),
    SET_SB_ENTRY(23, true),
    PROGRESS_WAIT(24, false),
    SET_EXCEPTION_HANDLER(25, false),
    CALL(32, true),
    JUMP(33, true),
    REQ_RESOURCE(34, true),
    FLUSH_CACHE2(36, true),
    SYNC_ADD32(37, true),
    SYNC_SET32(38, true),
    SYNC_WAIT32(39, true),
    STORE_STATE(40, true),
    PROT_REGION(41, false),
    PROGRESS_STORE(42, false),
    PROGRESS_LOAD(43, false),
    RUN_COMPUTE_INDIRECT(44, false),
    ERROR_BARRIER(47, true),
    HEAP_SET(48, false),
    HEAP_OPERATION(49, false),
    TRACE_POINT(50, true),
    SYNC_ADD64(51, true),
    SYNC_SET64(52, true),
    SYNC_WAIT64(53, true);

    private static final CsOpcode[] BY_CODE = new CsOpcode[256];

    static {
        for (CsOpcode o : values()) {
            BY_CODE[o.code] = o;
        }
    }

    private final int code;
    private final boolean modelled;

    CsOpcode(int code, boolean modelled) {
        this.code = code;
        this.modelled = modelled;
    }

    public int code() {
        return code;
    }

    /// Whether the emulated firmware executes this instruction.
    public boolean modelled() {
        return modelled;
    }

    /// The opcode of instruction `instr`, or null for an undefined code.
    public static CsOpcode of(long instr) {
        return BY_CODE[(int) (instr >>> 56)];
    }
}
