package dev.gpuemu.kernel.drivers.tyr.sched;

import dev.gpuemu.regs.mali.CsInstr;
import dev.gpuemu.regs.mali.CsOpcode;

/// A queue's ring buffer as panthor fills it (`queue_run_job`): every job takes one slot of
/// [#INSTRS_PER_SLOT] instructions that flush caches, `CALL` the user's stream, then add 1 to the
/// queue's 64-bit kernel sync object, so the kernel learns that the job is done when the object
/// reaches the job's sequence number.
///
/// `insert` and `extract` are byte counts that only grow (`CsfIface.Ring`); the byte at count
/// `n` is at ring offset `n % size`.
///
/// ## Invariants
/// `size` is a power of two of at least one slot; `extract <= insert <= extract + size`.
///
/// ## Thread safety
/// Stateless helpers.
public final class JobRing {
    /// `NUM_INSTRS_PER_SLOT`.
    public static final int INSTRS_PER_SLOT = 16;
    /// Bytes of ring one job takes.
    public static final int SLOT_BYTES = INSTRS_PER_SLOT * CsInstr.INSTR_BYTES;
    /// Registers at the top of the file that the kernel may clobber (`unpreserved_cs_reg_count`).
    public static final int UNPRESERVED_REGS = 4;

    private JobRing() {
    }

    /// The 16 instructions of one job (panthor's `call_instrs`, padded with `NOP`).
    ///
    /// @param csRegs     work registers of the stream (`CS_FEATURES_WORK_REGS`)
    /// @param scoreboards scoreboard slots of the stream
    /// @param streamVa   GPU VA of the user's stream
    /// @param streamSize its size in bytes
    /// @param latestFlush the submit's `latest_flush`
    /// @param syncVa     GPU VA of the queue's kernel sync object
    public static long[] jobInstrs(int csRegs, int scoreboards, long streamVa, int streamSize, int latestFlush,
                                   long syncVa) {
        long addrReg = csRegs - UNPRESERVED_REGS;
        long valReg = addrReg + 2;
        long waitAll = scoreboards >= 8 ? 0xFF : (1L << scoreboards) - 1;
        long[] ins = new long[INSTRS_PER_SLOT];
        int i = 0;
        ins[i++] = op(CsOpcode.MOVE32) | valReg << 48 | (latestFlush & 0xFFFF_FFFFL);
        ins[i++] = op(CsOpcode.FLUSH_CACHE2) | valReg << 40 | 0x233;
        ins[i++] = op(CsOpcode.MOVE48) | addrReg << 48 | (streamVa & 0xFFFF_FFFF_FFFFL);
        ins[i++] = op(CsOpcode.MOVE32) | valReg << 48 | (streamSize & 0xFFFF_FFFFL);
        ins[i++] = op(CsOpcode.WAIT) | 1L << 16;
        ins[i++] = op(CsOpcode.CALL) | addrReg << 40 | valReg << 32;
        ins[i++] = op(CsOpcode.MOVE48) | addrReg << 48 | (syncVa & 0xFFFF_FFFF_FFFFL);
        ins[i++] = op(CsOpcode.MOVE48) | valReg << 48 | 1;
        ins[i++] = op(CsOpcode.WAIT) | waitAll << 16;
        ins[i++] = op(CsOpcode.SYNC_ADD64) | addrReg << 40 | valReg << 32 | 1;
        ins[i] = op(CsOpcode.ERROR_BARRIER);
        return ins; // the rest stays NOP (opcode 0)
    }

    private static long op(CsOpcode o) {
        return (long) o.code() << 56;
    }

    /// Bytes free for new jobs in a ring of `size` bytes.
    public static long free(long size, long insert, long extract) {
        long used = insert - extract;
        if (used < 0 || used > size) {
            throw new IllegalArgumentException("ring pointers out of order: insert " + insert + " extract " + extract);
        }
        return size - used;
    }

    /// Offset in the ring of byte count `pos`.
    public static long offset(long size, long pos) {
        return pos & (size - 1);
    }

    /// Whether `size` is a valid queue ring size (`drm_panthor_queue_create`): a power of two
    /// from 4 KiB to 64 KiB.
    public static boolean validSize(long size) {
        return size >= 4096 && size <= 65536 && Long.bitCount(size) == 1;
    }
}
