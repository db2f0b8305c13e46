package dev.gpuemu.regs.mali;

import dev.gpuemu.regs.Field;

/// Bit fields of the modelled command-stream instructions (Mesa genxml v10), decoded by the
/// device's interpreter. Userspace has its own encoder (as Mesa does); a test checks the two
/// agree.
///
/// A stream has 96 32-bit registers `r0..r95`; a 64-bit register `d<n>` is the pair
/// `r<n>` (low) and `r<n+1>` (high), `n` even. Addresses in a stream are GPU VAs of the group's
/// address space.
///
/// | instruction | fields | semantics in the model |
/// |---|---|---|
/// | `MOVE48` | dst [55:48], imm [47:0] | `d[dst] = imm` (zero-extended) |
/// | `MOVE32` | dst [55:48], imm [31:0] | `r[dst] = imm` |
/// | `ADD_IMMEDIATE32/64` | dst [55:48], src [47:40], imm [31:0] signed | `r/d[dst] = r/d[src] + imm` |
/// | `LOAD_MULTIPLE` / `STORE_MULTIPLE` | base reg [55:48], addr [47:40], mask [31:16], offset [15:0] signed | registers `base+i` for each set mask bit `i` from/to `d[addr] + offset + 4*i` |
/// | `WAIT` | mask [23:16] | waits for the scoreboard slots in the mask (jobs complete in order: a no-op after them) |
/// | `RUN_COMPUTE` | SPD select [43:42] | runs the built-in kernel whose descriptor ([ComputeKernelDesc]) is at `d[SPD_BASE + 2 * select]` |
/// | `FLUSH_CACHE2` | l2 [3:0], lsc [7:4], other [11:8], flush id reg [47:40] | flushes caches; bumps `LATEST_FLUSH_ID` |
/// | `SYNC_ADD32/64`, `SYNC_SET32/64` | data reg [39:32], addr reg [47:40], error propagate [0] | `*(u32/u64*)d[addr] += / = r/d[data]`; the 32-bit word after the value (+4 / +8) gets the error state |
/// | `SYNC_WAIT32/64` | cond [31:28], data reg [39:32], addr reg [47:40] | blocks until `*d[addr] <cond> r/d[data]` holds (kbase semantics: LEQUAL proceeds once the value is <= the reference, GREATER once it is >) |
/// | `STORE_STATE` | addr reg [47:40], offset [15:0], state [33:32] | stores the timestamp (0) or cycle count (1) at `d[addr] + offset` |
/// | `BRANCH` | cond [30:28], value reg [47:40], offset [15:0] signed (instructions) | relative branch if `r[value] <cond> 0` |
/// | `JUMP` / `CALL` | addr reg [47:40], length reg [39:32] | run `r[length]` bytes at `d[addr]`; `CALL` returns, `JUMP` does not (call depth 8) |
/// | `NOP`, `SET_SB_ENTRY`, `REQ_RESOURCE`, `ERROR_BARRIER`, `TRACE_POINT` | | accepted, no effect in the model |
///
/// The stream ends where the ring's `insert` pointer is: there is no "end" instruction; a stream
/// that has consumed everything is idle until the host inserts more and rings its doorbell.
public final class CsInstr {
    private CsInstr() {
    }

    public static final int INSTR_BYTES = 8;
    /// Work registers of each modelled stream (`CS_FEATURES_WORK_REGS`).
    public static final int REGISTERS = 96;
    /// Scoreboard slots of each modelled stream.
    public static final int SCOREBOARDS = 8;
    /// First register of the four SPD (shader program descriptor) pointer pairs `d16, d18, d20, d22`.
    public static final int SPD_BASE = 16;
    /// Maximum `CALL` nesting.
    public static final int CALL_DEPTH = 8;

    public static final Field OPCODE = new Field("OPCODE", 63, 56);
    public static final Field DST = new Field("DESTINATION", 55, 48);
    public static final Field SRC = new Field("SOURCE", 47, 40);
    public static final Field IMM48 = new Field("IMMEDIATE48", 47, 0);
    public static final Field IMM32 = new Field("IMMEDIATE32", 31, 0);
    public static final Field WAIT_MASK = new Field("WAIT_MASK", 23, 16);
    public static final Field SPD_SELECT = new Field("SPD_SELECT", 43, 42);
    public static final Field LS_MASK = new Field("MASK", 31, 16);
    public static final Field LS_OFFSET = new Field("OFFSET", 15, 0);
    public static final Field FLUSH_L2 = new Field("L2_FLUSH_MODE", 3, 0);
    public static final Field FLUSH_LSC = new Field("LSC_FLUSH_MODE", 7, 4);
    public static final Field FLUSH_OTHER = new Field("OTHER_FLUSH_MODE", 11, 8);
    public static final Field SYNC_ERROR_PROPAGATE = Field.bit("ERROR_PROPAGATE", 0);
    public static final Field SYNC_DATA = new Field("DATA", 39, 32);
    public static final Field SYNC_ADDR = new Field("ADDRESS", 47, 40);
    public static final Field SYNC_COND = new Field("CONDITION", 31, 28);
    public static final Field STATE = new Field("STATE", 33, 32);
    public static final Field BRANCH_COND = new Field("CONDITION", 30, 28);
    public static final Field BRANCH_OFFSET = new Field("OFFSET", 15, 0);
    public static final Field JUMP_LENGTH = new Field("LENGTH", 39, 32);

    /// `CS Condition` values.
    public static final int COND_LEQUAL = 0;
    public static final int COND_GREATER = 1;
    public static final int COND_EQUAL = 2;
    public static final int COND_NEQUAL = 3;
    public static final int COND_LESS = 4;
    public static final int COND_GEQUAL = 5;
    public static final int COND_ALWAYS = 6;

    /// `CS State` values of `STORE_STATE`.
    public static final int STATE_TIMESTAMP = 0;
    public static final int STATE_CYCLE_COUNT = 1;

    /// Sign-extends a 16-bit offset field.
    public static long offset16(long instr) {
        return (short) (instr & 0xFFFF);
    }

    /// Sign-extends the 32-bit immediate.
    public static long imm32Signed(long instr) {
        return (int) instr;
    }
}
