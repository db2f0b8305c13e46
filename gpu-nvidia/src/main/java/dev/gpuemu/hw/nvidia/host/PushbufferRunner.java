package dev.gpuemu.hw.nvidia.host;

import static dev.gpuemu.regs.nvidia.NvHostRegs.*;
import static dev.gpuemu.regs.nvidia.PushbufferHeader.*;

import dev.gpuemu.hw.nvidia.NvHwPorts;
import dev.gpuemu.hw.nvidia.mmu.Gmmu;
import dev.gpuemu.hw.nvidia.mmu.GmmuFault;
import dev.gpuemu.regs.nvidia.Clc56f;
import dev.gpuemu.regs.nvidia.Clc6b5;
import dev.gpuemu.regs.nvidia.GpFifoEntry;
import dev.gpuemu.regs.nvidia.PushbufferHeader;

/// Runs channels: fetches GPFIFO entries `GP_GET..GP_PUT` through the channel's VM, decodes
/// each pushbuffer segment's method headers ([PushbufferHeader]) and dispatches the methods to
/// the host ([Clc56f]) or to the copy class bound to the subchannel ([Clc6b5], [CopyEngine]).
///
/// A channel runs in clock events: one run decodes methods until a `LAUNCH_DMA` (the copy
/// completes in a later event, [NvHostTimings]'s cost after it) or the end of a segment (the
/// entry completes, and `GP_GET` advances, after the fetch and decode cost). Each event checks
/// the channel's epoch: a disable or reset in between makes it a no-op.
///
/// ## Thread safety
/// Not thread-safe; runs under the device lock (events take it).
final class PushbufferRunner {
    /// How a stopped channel is reported (implemented by [NvHost]).
    interface Stopper {
        void stop(Channel ch, int error, int info, int subchannel, GmmuFault fault);
    }

    private static final int CONTINUE = 0;
    private static final int WAIT = 1;
    private static final int STOPPED = 2;

    private static final int ACTION_START = 0;
    private static final int ACTION_ENTRY_DONE = 1;
    private static final int ACTION_LAUNCH = 2;

    private final NvHwPorts ports;
    private final VmIo io;
    private final CopyEngine ce;
    private final Stopper stopper;

    PushbufferRunner(NvHwPorts ports, VmIo io, CopyEngine ce, Stopper stopper) {
        this.ports = ports;
        this.io = io;
        this.ce = ce;
        this.stopper = stopper;
    }

    /// The doorbell: an idle channel with pending entries starts running.
    void kick(Channel ch) {
        if (ch.state == STATE_IDLE && ch.gpGet != ch.gpPut) {
            ch.state = STATE_BUSY;
            schedule(ch, ACTION_START, 0, 0);
        }
    }

    private void schedule(Channel ch, int action, int launch, long delayNs) {
        ch.pendingAction = action;
        ch.pendingLaunch = launch;
        ch.pendingCycles = 0;
        ch.pendingNs = 0;
        int epoch = ch.epoch;
        ch.timer = ports.clock().schedule(delayNs, () -> onEvent(ch, epoch));
    }

    private void onEvent(Channel ch, int epoch) {
        ports.deviceLock().lock();
        try {
            if (ch.epoch != epoch || ch.state != STATE_BUSY) {
                return;
            }
            ch.timer = null;
            io.use(ch.pdb, ch.pdbAperture);
            if (ch.pendingAction == ACTION_ENTRY_DONE) {
                ch.gpGet = (ch.gpGet + 1) & (ch.entries - 1);
            } else if (ch.pendingAction == ACTION_LAUNCH) {
                int r = ce.execute(ch.ce, ch.pendingLaunch);
                if (r == CopyEngine.FAULT) {
                    stopper.stop(ch, ERROR_MMU_FAULT, FAULT_CLIENT_CE, ch.subchannel, io.fault());
                    return;
                }
                if (r == CopyEngine.BUS) {
                    stopper.stop(ch, ERROR_BUS, Clc6b5.LAUNCH_DMA, ch.subchannel, null);
                    return;
                }
                int intr = (int) Clc6b5.INTERRUPT_TYPE.get(ch.pendingLaunch & 0xFFFF_FFFFL);
                if (intr != Clc6b5.INTERRUPT_TYPE_NONE) {
                    ports.intr().raiseNonStall(ch.id);
                }
            }
            run(ch);
        } finally {
            ports.deviceLock().unlock();
        }
    }

    /// Decodes until the channel waits for time, drains, or stops.
    private void run(Channel ch) {
        while (true) {
            if (!ch.inSegment) {
                if (ch.gpGet == ch.gpPut) {
                    ch.state = STATE_IDLE;
                    return;
                }
                if (ch.gpPut < 0 || ch.gpPut >= ch.entries) {
                    stopper.stop(ch, ERROR_BAD_GP_PUT, ch.gpPut, 0, null);
                    return;
                }
                long entry = io.read64(ch.gpfifoBase + (long) ch.gpGet * GpFifoEntry.SIZE);
                if (entry == VmIo.FAILED) {
                    hostFault(ch);
                    return;
                }
                ch.pendingNs += NvHostTimings.ENTRY_FETCH_NS;
                int len = GpFifoEntry.length(entry);
                if (len == 0 && GpFifoEntry.OPCODE.get(entry) == GpFifoEntry.OPCODE_NOP) {
                    scheduleEntryDone(ch);
                    return;
                }
                if (len == 0 || GpFifoEntry.isSubroutine(entry)) {
                    stopper.stop(ch, ERROR_BAD_GPFIFO_ENTRY, ch.gpGet, 0, null);
                    return;
                }
                ch.inSegment = true;
                ch.segVa = GpFifoEntry.address(entry);
                ch.segRemaining = len;
                ch.methodRemaining = 0;
            }
            int r;
            if (ch.methodRemaining > 0) {
                r = data(ch);
            } else if (ch.segRemaining == 0) {
                ch.inSegment = false;
                scheduleEntryDone(ch);
                return;
            } else {
                r = header(ch);
            }
            if (r != CONTINUE) {
                return;
            }
        }
    }

    private int header(Channel ch) {
        long h = io.read32(ch.segVa);
        if (h == VmIo.FAILED) {
            hostFault(ch);
            return STOPPED;
        }
        ch.segVa += 4;
        ch.segRemaining--;
        int header = (int) h;
        int op = secOp(header);
        switch (op) {
            case SEC_OP_INC_METHOD, SEC_OP_NON_INC_METHOD, SEC_OP_ONE_INC -> {
                ch.secOp = op;
                ch.method = method(header);
                ch.subchannel = subchannel(header);
                ch.methodRemaining = count(header);
                return CONTINUE;
            }
            case SEC_OP_IMMD_DATA_METHOD -> {
                ch.subchannel = subchannel(header);
                return execute(ch, subchannel(header), method(header), count(header));
            }
            case SEC_OP_END_PB_SEGMENT -> {
                ch.segRemaining = 0;
                return CONTINUE;
            }
            case SEC_OP_GRP0_USE_TERT -> {
                // Header 0 is a NOP; sub-device mask operations are ignored (one GPU).
                if (header == PushbufferHeader.NOP || tertOp(header) != 0) {
                    return CONTINUE;
                }
            }
            default -> { }
        }
        stopper.stop(ch, ERROR_BAD_GPFIFO_ENTRY, ch.gpGet, subchannel(header), null);
        return STOPPED;
    }

    private int data(Channel ch) {
        if (ch.segRemaining == 0) {
            // A method's data runs past the end of its segment.
            stopper.stop(ch, ERROR_BAD_GPFIFO_ENTRY, ch.gpGet, ch.subchannel, null);
            return STOPPED;
        }
        long d = io.read32(ch.segVa);
        if (d == VmIo.FAILED) {
            hostFault(ch);
            return STOPPED;
        }
        ch.segVa += 4;
        ch.segRemaining--;
        ch.methodRemaining--;
        int m = ch.method;
        if (ch.secOp == SEC_OP_INC_METHOD) {
            ch.method += 4;
        } else if (ch.secOp == SEC_OP_ONE_INC) {
            ch.method += 4;
            ch.secOp = SEC_OP_NON_INC_METHOD;
        }
        return execute(ch, ch.subchannel, m, (int) d);
    }

    private int execute(Channel ch, int subch, int method, int data) {
        ch.pendingCycles += NvHostTimings.METHOD_CYCLES;
        if (method < Clc56f.HOST_METHOD_LIMIT) {
            return hostMethod(ch, subch, method, data);
        }
        if (ch.boundClass[subch] != Clc6b5.AMPERE_DMA_COPY_A) {
            stopper.stop(ch, ERROR_INVALID_METHOD, method, subch, null);
            return STOPPED;
        }
        if (method == Clc6b5.LAUNCH_DMA) {
            long cost = ce.plan(ch.ce, data);
            if (cost < 0) {
                stopper.stop(ch, ERROR_INVALID_LAUNCH, method, subch, null);
                return STOPPED;
            }
            schedule(ch, ACTION_LAUNCH, data, elapsed(ch) + cost);
            return WAIT;
        }
        if (!ce.method(ch.ce, method, data)) {
            stopper.stop(ch, ERROR_INVALID_METHOD, method, subch, null);
            return STOPPED;
        }
        return CONTINUE;
    }

    private int hostMethod(Channel ch, int subch, int method, int data) {
        switch (method) {
            case Clc56f.SET_OBJECT -> {
                if ((data & 0xFFFF) != ch.classId) {
                    stopper.stop(ch, ERROR_INVALID_CLASS, method, subch, null);
                    return STOPPED;
                }
                ch.boundClass[subch] = data & 0xFFFF;
            }
            case Clc56f.NOP, Clc56f.MEM_OP_A, Clc56f.MEM_OP_B, Clc56f.MEM_OP_C, Clc56f.MEM_OP_D, Clc56f.WFI,
                 Clc56f.SET_REFERENCE -> { }
            case Clc56f.NON_STALL_INTERRUPT -> ports.intr().raiseNonStall(ch.id);
            case Clc56f.SEM_ADDR_LO -> ch.semAddr = (ch.semAddr & ~0xFFFF_FFFFL) | (data & 0xFFFF_FFFCL);
            case Clc56f.SEM_ADDR_HI -> ch.semAddr = (ch.semAddr & 0xFFFF_FFFFL) | (data & 0xFFL) << 32;
            case Clc56f.SEM_PAYLOAD_LO -> ch.semPayload = (ch.semPayload & ~0xFFFF_FFFFL) | (data & 0xFFFF_FFFFL);
            case Clc56f.SEM_PAYLOAD_HI -> ch.semPayload = (ch.semPayload & 0xFFFF_FFFFL) | (long) data << 32;
            case Clc56f.SEM_EXECUTE -> {
                return semExecute(ch, subch, data);
            }
            default -> {
                stopper.stop(ch, ERROR_INVALID_METHOD, method, subch, null);
                return STOPPED;
            }
        }
        return CONTINUE;
    }

    private int semExecute(Channel ch, int subch, int data) {
        long d = data & 0xFFFF_FFFFL;
        boolean wide = Clc56f.SEM_EXECUTE_PAYLOAD_SIZE.isSet(d);
        boolean stamp = Clc56f.SEM_EXECUTE_RELEASE_TIMESTAMP.isSet(d);
        if (Clc56f.SEM_EXECUTE_OPERATION.get(d) != Clc56f.SEM_EXECUTE_OPERATION_RELEASE
                || (wide || stamp) && (ch.semAddr & 7) != 0) {
            stopper.stop(ch, ERROR_INVALID_METHOD, Clc56f.SEM_EXECUTE, subch, null);
            return STOPPED;
        }
        long pa = io.translate(ch.semAddr, true);
        if (pa == Gmmu.FAULT) {
            hostFault(ch);
            return STOPPED;
        }
        boolean ok = !stamp || io.write64(pa + 8, ports.clock().nowNs());
        ok = ok && (wide ? io.write64(pa, ch.semPayload) : io.write32(pa, (int) ch.semPayload));
        if (!ok) {
            stopper.stop(ch, ERROR_BUS, Clc56f.SEM_EXECUTE, subch, null);
            return STOPPED;
        }
        return CONTINUE;
    }

    private void scheduleEntryDone(Channel ch) {
        schedule(ch, ACTION_ENTRY_DONE, 0, elapsed(ch));
    }

    private long elapsed(Channel ch) {
        return ch.pendingNs + ports.gpuClock().cyclesToNs(ch.pendingCycles);
    }

    private void hostFault(Channel ch) {
        if (io.busError()) {
            stopper.stop(ch, ERROR_BUS, 0, ch.subchannel, null);
        } else {
            stopper.stop(ch, ERROR_MMU_FAULT, FAULT_CLIENT_HOST, ch.subchannel, io.fault());
        }
    }
}
