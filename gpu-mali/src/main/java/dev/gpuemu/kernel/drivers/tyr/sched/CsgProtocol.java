package dev.gpuemu.kernel.drivers.tyr.sched;

import dev.gpuemu.kernel.drivers.tyr.fw.TyrFw;
import dev.gpuemu.regs.mali.CsfIface.CsIn;
import dev.gpuemu.regs.mali.CsfIface.CsOut;
import dev.gpuemu.regs.mali.CsfIface.CsgIn;
import dev.gpuemu.regs.mali.CsfIface.CsgOut;
import dev.gpuemu.regs.mali.CsfIface.Ring;

/// The CSG/CS interface sequences of panthor_sched.c over [TyrFw]'s accessors: programming a
/// slot for a group (`csg_slot_prog_locked`, `cs_slot_prog_locked`), state requests with
/// doorbells (`panthor_fw_ring_csg_doorbells`), and acknowledging events
/// (`csg_slot_process_irq_locked`).
///
/// ## Thread safety
/// Stateless; callers hold the scheduler's lock (req/ack words of one slot are not atomic).
final class CsgProtocol {
    /// How long a CSG state request may take (panthor: 100 ms).
    static final long ACK_TIMEOUT_NS = 100_000_000L;
    static final int CS_IRQ_MASK = CsIn.CS_FATAL | CsIn.CS_FAULT | CsIn.CS_TILER_OOM;

    /// A CS event seen while acknowledging.
    record CsFatal(int cs, int fatal, long info) {
    }

    private final TyrFw fw;

    CsgProtocol(TyrFw fw) {
        this.fw = fw;
    }

    /// Programs slot `csg` for `g` in address space `as` and requests `START` of the group and
    /// its streams; rings the CSG doorbell. Returns the acknowledgement wait's outcome.
    boolean start(int csg, TyrGroup g, int as) {
        long in = fw.csgInput(csg);
        long out = fw.csgOutput(csg);
        int csMask = 0;
        for (TyrQueue q : g.queues) {
            int j = q.index;
            long csIn = fw.csInput(csg, j);
            fw.writeInput64(csIn + CsIn.RINGBUF_BASE, q.ring.va);
            fw.writeInput(csIn + CsIn.RINGBUF_SIZE, q.ringSize);
            fw.writeInput64(csIn + CsIn.RINGBUF_INPUT, q.iface.va);
            fw.writeInput64(csIn + CsIn.RINGBUF_OUTPUT, q.iface.va + Ring.OUTPUT_PAGE_OFFSET);
            fw.writeInput(csIn + CsIn.CONFIG, CsIn.config(q.priority, doorbell(csg)));
            fw.writeInput(csIn + CsIn.ACK_IRQ_MASK, CS_IRQ_MASK);
            fw.updateReqs(csIn + CsIn.REQ, CsIn.CS_STATE_START, CsIn.CS_STATE_MASK);
            csMask |= 1 << j;
        }
        fw.writeInput64(in + CsgIn.ALLOW_COMPUTE, g.computeMask);
        fw.writeInput64(in + CsgIn.ALLOW_FRAGMENT, g.fragmentMask);
        fw.writeInput(in + CsgIn.ALLOW_OTHER, (int) g.tilerMask);
        fw.writeInput(in + CsgIn.ENDPOINT_REQ, endpointReq(g));
        fw.writeInput(in + CsgIn.CONFIG, as);
        fw.writeInput(in + CsgIn.ACK_IRQ_MASK, ~0);
        fw.toggleReqs(in + CsgIn.DOORBELL_REQ, out + CsgOut.DOORBELL_ACK, csMask);
        fw.toggleReqs(in + CsgIn.REQ, out + CsgOut.ACK, CsgIn.CSG_ENDPOINT_CONFIG);
        fw.updateReqs(in + CsgIn.REQ, CsgIn.CSG_STATE_START, CsgIn.CSG_STATE_MASK);
        fw.ringCsgDoorbells(1 << csg);
        return fw.waitAcks(in + CsgIn.REQ, out + CsgOut.ACK, CsgIn.CSG_STATE_MASK | CsgIn.CSG_ENDPOINT_CONFIG,
                ACK_TIMEOUT_NS);
    }

    /// `CSG_ENDPOINT_REQ`: core counts and the group's priority (`[31:28]`).
    static int endpointReq(TyrGroup g) {
        return (g.maxCompute & 0xFF) | (g.maxFragment & 0xFF) << 8 | (g.maxTiler & 0xF) << 16
                | (g.priority & 0xF) << CsgIn.EP_REQ_PRIORITY_SHIFT;
    }

    /// The doorbell of the streams in CSG slot `csg` (panthor: `csg_id + 1`).
    static int doorbell(int csg) {
        return csg + 1;
    }

    /// Asks slot `csg` to stop `g`'s streams and terminate (`CSG_STATE_TERMINATE`), rings the
    /// doorbell; without waiting.
    void requestTerminate(int csg, TyrGroup g) {
        long in = fw.csgInput(csg);
        long out = fw.csgOutput(csg);
        int csMask = 0;
        for (TyrQueue q : g.queues) {
            fw.updateReqs(fw.csInput(csg, q.index) + CsIn.REQ, CsIn.CS_STATE_STOP, CsIn.CS_STATE_MASK);
            csMask |= 1 << q.index;
        }
        fw.toggleReqs(in + CsgIn.DOORBELL_REQ, out + CsgOut.DOORBELL_ACK, csMask);
        fw.updateReqs(in + CsgIn.REQ, CsgIn.CSG_STATE_TERMINATE, CsgIn.CSG_STATE_MASK);
        fw.ringCsgDoorbells(1 << csg);
    }

    /// Waits (bounded) until slot `csg` acknowledged its state request.
    boolean waitState(int csg) {
        return fw.waitAcks(fw.csgInput(csg) + CsgIn.REQ, fw.csgOutput(csg) + CsgOut.ACK, CsgIn.CSG_STATE_MASK,
                ACK_TIMEOUT_NS);
    }

    /// Whether any of the first `csgCount` slots has a CS interrupt (a `CS_FATAL`, a fault) not
    /// acknowledged yet. Read-only, so safe without the scheduler's lock (a stale answer only
    /// asks for an acknowledging pass that finds nothing).
    boolean anyCsIrqPending(int csgCount) {
        for (int i = 0; i < csgCount; i++) {
            if ((fw.readOutput(fw.csgOutput(i) + CsgOut.CS_IRQ_REQ) ^ fw.readInput(fw.csgInput(i) + CsgIn.CS_IRQ_ACK))
                    != 0) {
                return true;
            }
        }
        return false;
    }

    /// Acknowledges slot `csg`'s CSG events and CS interrupts; returns the fatal errors seen
    /// (`cs_slot_process_fatal_event_locked`), empty array when none.
    CsFatal[] ackEvents(int csg, int queueCount) {
        long in = fw.csgInput(csg);
        long out = fw.csgOutput(csg);
        int req = fw.readInput(in + CsgIn.REQ);
        int ack = fw.readOutput(out + CsgOut.ACK);
        int evts = (req ^ ack) & CsgIn.CSG_EVT_MASK;
        if (evts != 0) {
            fw.updateReqs(in + CsgIn.REQ, ack, evts);
        }
        int csIrqReq = fw.readOutput(out + CsgOut.CS_IRQ_REQ);
        int csIrqAck = fw.readInput(in + CsgIn.CS_IRQ_ACK);
        int pending = csIrqReq ^ csIrqAck;
        CsFatal[] fatals = new CsFatal[0];
        for (int j = 0; j < queueCount; j++) {
            if ((pending >>> j & 1) == 0) {
                continue;
            }
            long csIn = fw.csInput(csg, j);
            long csOut = fw.csOutput(csg, j);
            int creq = fw.readInput(csIn + CsIn.REQ);
            int cack = fw.readOutput(csOut + CsOut.ACK);
            int ev = (creq ^ cack) & CsIn.CS_EVT_MASK;
            if ((ev & CsIn.CS_FATAL) != 0) {
                fatals = java.util.Arrays.copyOf(fatals, fatals.length + 1);
                fatals[fatals.length - 1] = new CsFatal(j, fw.readOutput(csOut + CsOut.FATAL),
                        fw.readOutput64(csOut + CsOut.FATAL_INFO));
            }
            if (ev != 0) {
                fw.updateReqs(csIn + CsIn.REQ, cack, ev);
            }
        }
        if (pending != 0) {
            fw.writeInput(in + CsgIn.CS_IRQ_ACK, csIrqReq);
        }
        return fatals;
    }
}
