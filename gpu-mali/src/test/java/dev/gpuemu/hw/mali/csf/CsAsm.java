package dev.gpuemu.hw.mali.csf;

import dev.gpuemu.regs.mali.CsInstr;
import dev.gpuemu.regs.mali.CsOpcode;

/// A test-side encoder of the modelled CS instructions, written from the [CsInstr] field table.
final class CsAsm {
    private CsAsm() {
    }

    static long op(CsOpcode op) {
        return (long) op.code() << 56;
    }

    static long move48(int d, long imm) {
        return op(CsOpcode.MOVE48) | (long) d << 48 | (imm & 0xFFFF_FFFF_FFFFL);
    }

    static long move32(int r, int imm) {
        return op(CsOpcode.MOVE32) | (long) r << 48 | Integer.toUnsignedLong(imm);
    }

    static long addImm32(int dst, int src, int imm) {
        return op(CsOpcode.ADD_IMMEDIATE32) | (long) dst << 48 | (long) src << 40 | Integer.toUnsignedLong(imm);
    }

    static long storeMultiple(int base, int addrReg, int mask, int offset) {
        return op(CsOpcode.STORE_MULTIPLE) | (long) base << 48 | (long) addrReg << 40 | (long) (mask & 0xFFFF) << 16
                | (offset & 0xFFFF);
    }

    static long loadMultiple(int base, int addrReg, int mask, int offset) {
        return op(CsOpcode.LOAD_MULTIPLE) | (long) base << 48 | (long) addrReg << 40 | (long) (mask & 0xFFFF) << 16
                | (offset & 0xFFFF);
    }

    static long sync(CsOpcode op, int dataReg, int addrReg) {
        return op(op) | (long) addrReg << 40 | (long) dataReg << 32;
    }

    static long syncWait(CsOpcode op, int cond, int dataReg, int addrReg) {
        return op(op) | (long) addrReg << 40 | (long) dataReg << 32 | (long) cond << 28;
    }

    static long runCompute(int spdSelect) {
        return op(CsOpcode.RUN_COMPUTE) | (long) spdSelect << 42;
    }

    static long call(int addrReg, int lenReg) {
        return op(CsOpcode.CALL) | (long) addrReg << 40 | (long) lenReg << 32;
    }

    static long storeState(int addrReg, int offset, int state) {
        return op(CsOpcode.STORE_STATE) | (long) addrReg << 40 | (long) state << 32 | (offset & 0xFFFF);
    }

    static long wait(int mask) {
        return op(CsOpcode.WAIT) | (long) mask << 16;
    }
}
