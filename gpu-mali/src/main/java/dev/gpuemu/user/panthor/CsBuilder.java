package dev.gpuemu.user.panthor;

import dev.gpuemu.user.drm.UserMapping;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/// A Mesa `cs_builder`-style encoder of the command-stream instructions the emulated CSF runs
/// (Valhall v10 encoding, 64-bit little-endian words). Userspace keeps its own copy of the
/// opcodes and bit fields, as Mesa keeps genxml; a test checks they decode with the device's
/// tables.
///
/// Registers: `r0..r95` (32-bit); a 64-bit `d<n>` is `r<n>` (low) and `r<n+1>`, `n` even. Bad
/// register numbers and out-of-range fields are programming errors of the caller and throw
/// `IllegalArgumentException` (no instruction is emitted).
///
/// ## Thread safety
/// Not thread-safe: build on one thread.
///
/// ## Lifecycle
/// Reusable: [#reset()] empties it.
public final class CsBuilder {
    // Opcodes (bits 63:56), Mesa genxml v10 `CS Opcode`.
    public static final int OP_NOP = 0;
    public static final int OP_MOVE48 = 1;
    public static final int OP_MOVE32 = 2;
    public static final int OP_WAIT = 3;
    public static final int OP_RUN_COMPUTE = 4;
    public static final int OP_ADD_IMMEDIATE32 = 16;
    public static final int OP_ADD_IMMEDIATE64 = 17;
    public static final int OP_LOAD_MULTIPLE = 20;
    public static final int OP_STORE_MULTIPLE = 21;
    public static final int OP_BRANCH = 22;
    public static final int OP_SET_SB_ENTRY = 23;
    public static final int OP_CALL = 32;
    public static final int OP_JUMP = 33;
    public static final int OP_REQ_RESOURCE = 34;
    public static final int OP_FLUSH_CACHE2 = 36;
    public static final int OP_SYNC_ADD32 = 37;
    public static final int OP_SYNC_SET32 = 38;
    public static final int OP_SYNC_WAIT32 = 39;
    public static final int OP_STORE_STATE = 40;
    public static final int OP_ERROR_BARRIER = 47;
    public static final int OP_TRACE_POINT = 50;
    public static final int OP_SYNC_ADD64 = 51;
    public static final int OP_SYNC_SET64 = 52;
    public static final int OP_SYNC_WAIT64 = 53;

    /// `CS Condition`.
    public static final int COND_LEQUAL = 0;
    public static final int COND_GREATER = 1;
    public static final int COND_EQUAL = 2;
    public static final int COND_NEQUAL = 3;
    public static final int COND_LESS = 4;
    public static final int COND_GEQUAL = 5;
    public static final int COND_ALWAYS = 6;

    /// `CS Flush Mode` of `FLUSH_CACHE2`.
    public static final int FLUSH_NONE = 0;
    public static final int FLUSH_CLEAN = 1;
    public static final int FLUSH_INVALIDATE = 2;
    public static final int FLUSH_CLEAN_INVALIDATE = 3;

    /// `CS State` of `STORE_STATE`.
    public static final int STATE_TIMESTAMP = 0;
    public static final int STATE_CYCLE_COUNT = 1;

    public static final int REGISTERS = 96;
    public static final int INSTR_BYTES = 8;
    /// `d16`, `d18`, `d20`, `d22`: the SPD pointers `RUN_COMPUTE` selects from.
    public static final int SPD_BASE = 16;

    private long[] words = new long[32];
    private int count;

    /// Instructions emitted so far.
    public int instructions() {
        return count;
    }

    /// Bytes emitted so far (`stream_size` of a submit).
    public int sizeBytes() {
        return count * INSTR_BYTES;
    }

    public CsBuilder reset() {
        count = 0;
        return this;
    }

    /// The instruction words.
    public long[] toArray() {
        return Arrays.copyOf(words, count);
    }

    /// The stream as little-endian bytes.
    public byte[] toBytes() {
        byte[] out = new byte[sizeBytes()];
        MemorySegment seg = MemorySegment.ofArray(out);
        for (int i = 0; i < count; i++) {
            seg.set(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), (long) i * INSTR_BYTES, words[i]);
        }
        return out;
    }

    /// Copies the stream into `mapping` at byte `offset`.
    public void writeTo(UserMapping mapping, long offset) {
        mapping.write(offset, MemorySegment.ofArray(toBytes()), 0, sizeBytes());
    }

    /// Appends a raw instruction word.
    public CsBuilder emit(long word) {
        if (count == words.length) {
            words = Arrays.copyOf(words, count * 2);
        }
        words[count++] = word;
        return this;
    }

    private static long op(int opcode) {
        return (long) opcode << 56;
    }

    private static long reg(int r, int shift) {
        if (r < 0 || r >= REGISTERS) {
            throw new IllegalArgumentException("register r" + r + " outside r0..r" + (REGISTERS - 1));
        }
        return (long) r << shift;
    }

    private static long reg64(int d, int shift) {
        if ((d & 1) != 0 || d < 0 || d >= REGISTERS) {
            throw new IllegalArgumentException("64-bit register d" + d + " must be even, in d0..d" + (REGISTERS - 2));
        }
        return (long) d << shift;
    }

    private static long bits(long value, int width, int shift, String what) {
        if (value < 0 || value >= 1L << width) {
            throw new IllegalArgumentException(what + " " + value + " does not fit " + width + " bits");
        }
        return value << shift;
    }

    private static long off16(int offset) {
        if (offset < Short.MIN_VALUE || offset > Short.MAX_VALUE) {
            throw new IllegalArgumentException("offset " + offset + " does not fit 16 signed bits");
        }
        return offset & 0xFFFFL;
    }

    public CsBuilder nop() {
        return emit(op(OP_NOP));
    }

    /// `d[dst] = imm` (48 bits, zero-extended).
    public CsBuilder move48(int d, long imm) {
        return emit(op(OP_MOVE48) | reg64(d, 48) | bits(imm, 48, 0, "immediate"));
    }

    /// `r[dst] = imm`.
    public CsBuilder move32(int r, int imm) {
        return emit(op(OP_MOVE32) | reg(r, 48) | (imm & 0xFFFF_FFFFL));
    }

    /// `r[dst] = r[src] + imm`.
    public CsBuilder addImm32(int dst, int src, int imm) {
        return emit(op(OP_ADD_IMMEDIATE32) | reg(dst, 48) | reg(src, 40) | (imm & 0xFFFF_FFFFL));
    }

    /// `d[dst] = d[src] + imm` (imm sign-extended).
    public CsBuilder addImm64(int dst, int src, int imm) {
        return emit(op(OP_ADD_IMMEDIATE64) | reg64(dst, 48) | reg64(src, 40) | (imm & 0xFFFF_FFFFL));
    }

    /// Registers `base + i` for each set bit `i` of `mask` from `d[addr] + offset + 4 * i`.
    public CsBuilder loadMultiple(int base, int addr, int mask, int offset) {
        return emit(op(OP_LOAD_MULTIPLE) | reg(base, 48) | reg64(addr, 40) | bits(mask, 16, 16, "mask") | off16(offset));
    }

    /// Registers `base + i` for each set bit `i` of `mask` to `d[addr] + offset + 4 * i`.
    public CsBuilder storeMultiple(int base, int addr, int mask, int offset) {
        return emit(op(OP_STORE_MULTIPLE) | reg(base, 48) | reg64(addr, 40) | bits(mask, 16, 16, "mask")
                | off16(offset));
    }

    /// Waits for the scoreboard slots of `mask` (8 bits).
    public CsBuilder await(int mask) {
        return emit(op(OP_WAIT) | bits(mask, 8, 16, "scoreboard mask"));
    }

    /// Runs the kernel whose descriptor address is in `d[SPD_BASE + 2 * spdSelect]`.
    public CsBuilder runCompute(int spdSelect) {
        return emit(op(OP_RUN_COMPUTE) | bits(spdSelect, 2, 42, "SPD select"));
    }

    /// `FLUSH_CACHE2` with `FLUSH_*` modes; the new flush id goes to `r[flushIdReg]`.
    public CsBuilder flushCache2(int l2, int lsc, int other, int flushIdReg) {
        return emit(op(OP_FLUSH_CACHE2) | reg(flushIdReg, 40) | bits(other, 4, 8, "other mode")
                | bits(lsc, 4, 4, "LSC mode") | bits(l2, 4, 0, "L2 mode"));
    }

    private CsBuilder sync(int opcode, int addr, int data, boolean wide, boolean errorPropagate) {
        return emit(op(opcode) | reg64(addr, 40) | (wide ? reg64(data, 32) : reg(data, 32)) | (errorPropagate ? 1 : 0));
    }

    /// `*(u32 *) d[addr] += r[data]`.
    public CsBuilder syncAdd32(int addr, int data, boolean errorPropagate) {
        return sync(OP_SYNC_ADD32, addr, data, false, errorPropagate);
    }

    /// `*(u64 *) d[addr] += d[data]`.
    public CsBuilder syncAdd64(int addr, int data, boolean errorPropagate) {
        return sync(OP_SYNC_ADD64, addr, data, true, errorPropagate);
    }

    /// `*(u32 *) d[addr] = r[data]`.
    public CsBuilder syncSet32(int addr, int data, boolean errorPropagate) {
        return sync(OP_SYNC_SET32, addr, data, false, errorPropagate);
    }

    /// `*(u64 *) d[addr] = d[data]`.
    public CsBuilder syncSet64(int addr, int data, boolean errorPropagate) {
        return sync(OP_SYNC_SET64, addr, data, true, errorPropagate);
    }

    /// Blocks until `*(u32 *) d[addr] <cond> r[data]` (`COND_*`).
    public CsBuilder syncWait32(int cond, int addr, int data) {
        return emit(op(OP_SYNC_WAIT32) | reg64(addr, 40) | reg(data, 32) | bits(cond, 4, 28, "condition"));
    }

    /// Blocks until `*(u64 *) d[addr] <cond> d[data]` (`COND_*`).
    public CsBuilder syncWait64(int cond, int addr, int data) {
        return emit(op(OP_SYNC_WAIT64) | reg64(addr, 40) | reg64(data, 32) | bits(cond, 4, 28, "condition"));
    }

    /// Stores the timestamp or cycle count (`STATE_*`) at `d[addr] + offset`.
    public CsBuilder storeState(int addr, int offset, int state) {
        return emit(op(OP_STORE_STATE) | reg64(addr, 40) | bits(state, 2, 32, "state") | off16(offset));
    }

    /// Relative branch by `offset` instructions if `r[valueReg] <cond> 0`.
    public CsBuilder branch(int cond, int valueReg, int offset) {
        return emit(op(OP_BRANCH) | reg(valueReg, 40) | bits(cond, 3, 28, "condition") | off16(offset));
    }

    /// Runs `r[lengthReg]` bytes at `d[addrReg]` and returns.
    public CsBuilder call(int addrReg, int lengthReg) {
        return emit(op(OP_CALL) | reg64(addrReg, 40) | reg(lengthReg, 32));
    }

    /// Continues at `d[addrReg]` for `r[lengthReg]` bytes, not returning.
    public CsBuilder jump(int addrReg, int lengthReg) {
        return emit(op(OP_JUMP) | reg64(addrReg, 40) | reg(lengthReg, 32));
    }

    public CsBuilder setSbEntry() {
        return emit(op(OP_SET_SB_ENTRY));
    }

    public CsBuilder reqResource() {
        return emit(op(OP_REQ_RESOURCE));
    }

    public CsBuilder errorBarrier() {
        return emit(op(OP_ERROR_BARRIER));
    }

    public CsBuilder tracePoint() {
        return emit(op(OP_TRACE_POINT));
    }
}
