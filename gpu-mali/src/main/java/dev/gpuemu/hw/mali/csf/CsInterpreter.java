package dev.gpuemu.hw.mali.csf;

import static dev.gpuemu.regs.mali.MaliAsReg.ACCESS_WRITE;

import dev.gpuemu.regs.mali.ComputeKernelDesc;
import dev.gpuemu.regs.mali.CsInstr;
import dev.gpuemu.regs.mali.CsOpcode;
import dev.gpuemu.regs.mali.CsfIface.CsOut;
import dev.gpuemu.regs.mali.CsfIface.Ring;
import dev.gpuemu.regs.mali.MaliException;
import dev.gpuemu.regs.mali.MaliRegs;

/// The command-stream interpreter: fetches a stream's instructions (ring buffer or `CALL`ed
/// buffers) and executes the modelled subset of [CsInstr]. Anything else stops the stream with
/// `CS_FATAL` / `CS_INSTR_INVALID`, `fatal_info` = the instruction's VA.
///
/// `SYNC_WAIT` conditions follow the hardware (kbase `sync_wait_cond_valid`): the stream
/// proceeds when `*addr <cond> ref` holds, comparing unsigned (`GREATER`: value > ref,
/// `LEQUAL`: value <= ref). `SYNC_ADD`/`SYNC_SET` write the value, then 0 (no error) to the
/// 32-bit error word after it, toggle the group's `CSG_SYNC_UPDATE` event and make every
/// blocked stream re-read its object.
///
/// ## Thread safety
/// Stateless; runs on the clock thread under the device lock.
final class CsInterpreter {
    private CsInterpreter() {
    }

    /// Runs up to [CommandStream#SLICE] instructions of `s`; returns the GPU cycles they cost.
    static long runSlice(CommandStream s) {
        MaliCsf csf = s.csf;
        VmIo io = csf.io;
        int as = s.group.as;
        int n = 0;
        while (n < CommandStream.SLICE && s.runnable()) {
            long va;
            if (s.depth > 0) {
                int f = s.depth - 1;
                if (s.framePc[f] >= s.frameEnd[f]) {
                    s.depth--;
                    continue;
                }
                va = s.framePc[f];
            } else {
                if (s.extract >= s.insert) {
                    io.begin();
                    long ins = io.read64(0, s.ringIn + Ring.IN_INSERT);
                    if (!io.ok()) {
                        s.fatal(io.faultType(), 0, io.faultVa());
                        return 0;
                    }
                    s.insert = ins;
                    if (s.extract >= s.insert) {
                        break; // idle until the next doorbell
                    }
                }
                va = s.ringBase + s.extract % s.ringSize;
            }
            s.blockedAt = va;
            io.begin();
            long instr = io.read64(as, va);
            if (!io.ok()) {
                s.fatal(io.faultType(), 0, io.faultVa());
                return 0;
            }
            if (s.depth > 0) {
                s.framePc[s.depth - 1] += CsInstr.INSTR_BYTES;
            } else {
                s.extract += CsInstr.INSTR_BYTES;
            }
            n++;
            if (!execute(s, instr, va, (long) n * csf.timing.instrCycles())) {
                break;
            }
        }
        csf.counters.instructions += n;
        if (s.phase == CommandStream.Phase.RUNNING) {
            s.publishProgress();
        }
        return (long) n * csf.timing.instrCycles();
    }

    /// Executes one instruction at `va`; false when the stream must stop running this slice
    /// (blocked, job started, faulted).
    private static boolean execute(CommandStream s, long instr, long va, long cyclesSoFar) {
        CsOpcode op = CsOpcode.of(instr);
        if (op == null || !op.modelled()) {
            return invalid(s, va);
        }
        int dst = (int) CsInstr.DST.get(instr);
        int src = (int) CsInstr.SRC.get(instr);
        switch (op) {
            case NOP, WAIT, SET_SB_ENTRY, REQ_RESOURCE, ERROR_BARRIER, TRACE_POINT -> {
                return true;
            }
            case FLUSH_CACHE2 -> {
                // The model's caches hold no data: the flush completes at once (GpuControlPort).
                s.csf.ports.gpu().flushCachesFromCsf();
                return true;
            }
            case MOVE48 -> {
                if (dst > CsInstr.REGISTERS - 2) {
                    return invalid(s, va);
                }
                s.setD(dst, CsInstr.IMM48.get(instr));
                return true;
            }
            case MOVE32 -> {
                if (dst > CsInstr.REGISTERS - 1) {
                    return invalid(s, va);
                }
                s.regs[dst] = (int) instr;
                return true;
            }
            case ADD_IMMEDIATE32 -> {
                if (dst > CsInstr.REGISTERS - 1 || src > CsInstr.REGISTERS - 1) {
                    return invalid(s, va);
                }
                s.regs[dst] = s.regs[src] + (int) instr;
                return true;
            }
            case ADD_IMMEDIATE64 -> {
                if (dst > CsInstr.REGISTERS - 2 || src > CsInstr.REGISTERS - 2) {
                    return invalid(s, va);
                }
                s.setD(dst, s.d(src) + CsInstr.imm32Signed(instr));
                return true;
            }
            case LOAD_MULTIPLE, STORE_MULTIPLE -> {
                return loadStore(s, instr, va, dst, src, op == CsOpcode.STORE_MULTIPLE);
            }
            case RUN_COMPUTE -> {
                return runCompute(s, instr, va, cyclesSoFar);
            }
            case SYNC_ADD32, SYNC_SET32, SYNC_ADD64, SYNC_SET64 -> {
                return syncUpdate(s, instr, va, op);
            }
            case SYNC_WAIT32, SYNC_WAIT64 -> {
                return syncWait(s, instr, va, op == CsOpcode.SYNC_WAIT64);
            }
            case STORE_STATE -> {
                return storeState(s, instr, va, src);
            }
            case BRANCH -> {
                return branch(s, instr, va, src);
            }
            case JUMP, CALL -> {
                return jumpCall(s, instr, va, src, op == CsOpcode.CALL);
            }
            default -> {
                return invalid(s, va);
            }
        }
    }

    private static boolean invalid(CommandStream s, long va) {
        s.fatal(MaliException.CS_INSTR_INVALID.code(), 0, va);
        return false;
    }

    private static boolean fault(CommandStream s) {
        s.fatal(s.csf.io.faultType(), 0, s.csf.io.faultVa());
        return false;
    }

    private static boolean loadStore(CommandStream s, long instr, long va, int base, int addrReg, boolean store) {
        int mask = (int) CsInstr.LS_MASK.get(instr);
        int top = 31 - Integer.numberOfLeadingZeros(mask);
        if (addrReg > CsInstr.REGISTERS - 2 || base + top > CsInstr.REGISTERS - 1) {
            return invalid(s, va);
        }
        long addr = s.d(addrReg) + CsInstr.offset16(instr);
        VmIo io = s.csf.io;
        int as = s.group.as;
        io.begin();
        if (store) {
            // Translate every word before writing any.
            for (int i = 0; i <= top; i++) {
                if ((mask >>> i & 1) != 0 && !io.probe(as, addr + 4L * i, 4, ACCESS_WRITE)) {
                    return fault(s);
                }
            }
        }
        for (int i = 0; i <= top; i++) {
            if ((mask >>> i & 1) == 0) {
                continue;
            }
            if (store) {
                io.write32(as, addr + 4L * i, s.regs[base + i]);
            } else {
                int v = io.read32(as, addr + 4L * i);
                if (io.ok()) {
                    s.regs[base + i] = v;
                }
            }
            if (!io.ok()) {
                return fault(s);
            }
        }
        if (store) {
            s.csf.memoryWritten();
        }
        return true;
    }

    private static boolean runCompute(CommandStream s, long instr, long va, long cyclesSoFar) {
        int sel = (int) CsInstr.SPD_SELECT.get(instr);
        long desc = s.d(CsInstr.SPD_BASE + 2 * sel);
        VmIo io = s.csf.io;
        int as = s.group.as;
        io.begin();
        if ((desc & (ComputeKernelDesc.ALIGN - 1)) != 0) {
            io.fail(desc, MaliException.DATA_INVALID_FAULT);
            return fault(s);
        }
        int magic = io.read32(as, desc + ComputeKernelDesc.OFF_MAGIC);
        int kf = io.read32(as, desc + ComputeKernelDesc.OFF_KERNEL);
        for (int i = 0; i < ComputeKernelDesc.ARGS; i++) {
            s.jobArgs[i] = io.read64(as, desc + ComputeKernelDesc.arg(i));
        }
        if (!io.ok()) {
            return fault(s);
        }
        int kernel = kf & 0xFFFF;
        int flags = kf >>> 16;
        if (magic != ComputeKernelDesc.MAGIC || flags != 0 || !ComputeKernels.known(kernel)) {
            s.fatal(MaliException.INSTR_INVALID_ENC.code(), 0, desc);
            return false;
        }
        s.jobKernel = kernel;
        s.jobVa = va;
        s.startJob(cyclesSoFar);
        return false;
    }

    private static boolean syncUpdate(CommandStream s, long instr, long va, CsOpcode op) {
        int dataReg = (int) CsInstr.SYNC_DATA.get(instr);
        int addrReg = (int) CsInstr.SYNC_ADDR.get(instr);
        boolean is64 = op == CsOpcode.SYNC_ADD64 || op == CsOpcode.SYNC_SET64;
        if (addrReg > CsInstr.REGISTERS - 2 || dataReg > CsInstr.REGISTERS - (is64 ? 2 : 1)) {
            return invalid(s, va);
        }
        long addr = s.d(addrReg);
        VmIo io = s.csf.io;
        int as = s.group.as;
        io.begin();
        int width = is64 ? 8 : 4;
        if ((addr & (width - 1)) != 0) {
            io.fail(addr, MaliException.DATA_INVALID_FAULT);
            return fault(s);
        }
        if (!io.probe(as, addr, width + 4L, ACCESS_WRITE)) {
            return fault(s);
        }
        boolean add = op == CsOpcode.SYNC_ADD32 || op == CsOpcode.SYNC_ADD64;
        if (is64) {
            long v = s.d(dataReg);
            io.write64(as, addr, add ? io.read64(as, addr) + v : v);
        } else {
            int v = s.regs[dataReg];
            io.write32(as, addr, add ? io.read32(as, addr) + v : v);
        }
        io.write32(as, addr + width, 0);
        if (!io.ok()) {
            return fault(s);
        }
        s.csf.counters.syncUpdates++;
        s.group.syncUpdate();
        s.csf.memoryWritten();
        return true;
    }

    private static boolean syncWait(CommandStream s, long instr, long va, boolean is64) {
        int dataReg = (int) CsInstr.SYNC_DATA.get(instr);
        int addrReg = (int) CsInstr.SYNC_ADDR.get(instr);
        int cond = (int) CsInstr.SYNC_COND.get(instr);
        if (addrReg > CsInstr.REGISTERS - 2 || dataReg > CsInstr.REGISTERS - (is64 ? 2 : 1)
                || cond > CsInstr.COND_ALWAYS) {
            return invalid(s, va);
        }
        long addr = s.d(addrReg);
        long ref = is64 ? s.d(dataReg) : Integer.toUnsignedLong(s.regs[dataReg]);
        VmIo io = s.csf.io;
        io.begin();
        long v = is64 ? io.read64(s.group.as, addr) : Integer.toUnsignedLong(io.read32(s.group.as, addr));
        if (!io.ok()) {
            return fault(s);
        }
        if (waitSatisfied(cond, v, ref, is64)) {
            return true;
        }
        s.waiting = true;
        s.waitVa = addr;
        s.waitRef = ref;
        s.waitCond = cond;
        s.wait64 = is64;
        s.blockedAt = va;
        s.csf.counters.syncWaitsBlocked++;
        int status = CsOut.STATUS_WAIT_SYNC | (cond == CsInstr.COND_GREATER ? CsOut.STATUS_WAIT_SYNC_COND_GT : 0)
                | (is64 ? CsOut.STATUS_WAIT_SYNC_64B : 0);
        io.begin();
        io.write32(0, s.outVa + CsOut.STATUS_WAIT, status);
        io.write64(0, s.outVa + CsOut.STATUS_WAIT_SYNC_PTR, addr);
        io.write32(0, s.outVa + CsOut.STATUS_WAIT_SYNC_VALUE, (int) ref);
        io.write32(0, s.outVa + CsOut.STATUS_WAIT_SYNC_VALUE_HI, (int) (ref >>> 32));
        io.write32(0, s.outVa + CsOut.STATUS_BLOCKED_REASON, CsOut.BLOCKED_SYNC_WAIT);
        s.csf.ensurePoll();
        return false;
    }

    /// Whether a `SYNC_WAIT` with `cond` is satisfied by `value` against `ref` (unsigned).
    static boolean waitSatisfied(int cond, long value, long ref, boolean is64) {
        int c = Long.compareUnsigned(value, ref);
        return switch (cond) {
            case CsInstr.COND_LEQUAL -> c <= 0;
            case CsInstr.COND_GREATER -> c > 0;
            case CsInstr.COND_EQUAL -> c == 0;
            case CsInstr.COND_NEQUAL -> c != 0;
            case CsInstr.COND_LESS -> c < 0;
            case CsInstr.COND_GEQUAL -> c >= 0;
            default -> true;
        };
    }

    private static boolean storeState(CommandStream s, long instr, long va, int addrReg) {
        int state = (int) CsInstr.STATE.get(instr);
        if (addrReg > CsInstr.REGISTERS - 2 || state > CsInstr.STATE_CYCLE_COUNT) {
            return invalid(s, va);
        }
        long now = s.csf.ports.clock().nowNs();
        long value = state == CsInstr.STATE_TIMESTAMP
                ? now / 1_000_000_000L * MaliRegs.TIMESTAMP_HZ + now % 1_000_000_000L * MaliRegs.TIMESTAMP_HZ / 1_000_000_000L
                : s.csf.ports.gpuClock().cycleCountAt(now);
        VmIo io = s.csf.io;
        io.begin();
        io.write64(s.group.as, s.d(addrReg) + CsInstr.offset16(instr), value);
        if (!io.ok()) {
            return fault(s);
        }
        s.csf.memoryWritten();
        return true;
    }

    private static boolean branch(CommandStream s, long instr, long va, int valueReg) {
        int cond = (int) CsInstr.BRANCH_COND.get(instr);
        if (valueReg > CsInstr.REGISTERS - 1 || cond > CsInstr.COND_ALWAYS) {
            return invalid(s, va);
        }
        int r = s.regs[valueReg];
        boolean take = switch (cond) {
            case CsInstr.COND_LEQUAL -> r <= 0;
            case CsInstr.COND_GREATER -> r > 0;
            case CsInstr.COND_EQUAL -> r == 0;
            case CsInstr.COND_NEQUAL -> r != 0;
            case CsInstr.COND_LESS -> r < 0;
            case CsInstr.COND_GEQUAL -> r >= 0;
            default -> true;
        };
        if (!take) {
            return true;
        }
        long delta = CsInstr.offset16(instr) * CsInstr.INSTR_BYTES; // from the next instruction
        if (s.depth > 0) {
            s.framePc[s.depth - 1] += delta;
        } else {
            if (s.extract + delta < 0) {
                s.fatal(MaliException.INSTR_INVALID_PC.code(), 0, va);
                return false;
            }
            s.extract += delta;
        }
        return true;
    }

    private static boolean jumpCall(CommandStream s, long instr, long va, int addrReg, boolean call) {
        int lenReg = (int) CsInstr.JUMP_LENGTH.get(instr);
        if (addrReg > CsInstr.REGISTERS - 2 || lenReg > CsInstr.REGISTERS - 1) {
            return invalid(s, va);
        }
        long target = s.d(addrReg);
        long len = Integer.toUnsignedLong(s.regs[lenReg]);
        if ((target & 7) != 0 || (len & 7) != 0) {
            s.fatal(MaliException.INSTR_INVALID_PC.code(), 0, va);
            return false;
        }
        if (len == 0) {
            return true;
        }
        if (!call && s.depth > 0) {
            s.framePc[s.depth - 1] = target;
            s.frameEnd[s.depth - 1] = target + len;
            return true;
        }
        if (s.depth == CsInstr.CALL_DEPTH) {
            s.fatal(MaliException.CS_CALL_STACK_OVERFLOW.code(), 0, va);
            return false;
        }
        s.framePc[s.depth] = target;
        s.frameEnd[s.depth] = target + len;
        s.depth++;
        return true;
    }
}
