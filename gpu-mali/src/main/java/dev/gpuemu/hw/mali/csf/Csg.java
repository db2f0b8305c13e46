package dev.gpuemu.hw.mali.csf;

import dev.gpuemu.regs.mali.CsfIface.CsgIn;
import dev.gpuemu.regs.mali.CsfIface.CsgOut;
import dev.gpuemu.regs.mali.MaliRegs;

/// One command stream group slot (CSG `i`): its interface blocks, its state (`CSG_STATE`), the
/// address space its streams run in (`config`), and its streams.
///
/// ## Requests handled (host toggles bit `i` of GLB `doorbell_req`, rings doorbell 0)
/// - `CSG_STATE`: `START`/`RESUME` run the group's started streams; `SUSPEND` pauses them
///   (no suspend buffer is written: state stays in the model); `TERMINATE` stops every stream
///   (jobs in flight are dropped and write nothing). The state is acknowledged at once.
/// - `CSG_ENDPOINT_CONFIG`: acknowledged (priorities and core masks are not modelled).
/// - `CSG_STATUS_UPDATE`: writes `status_state` (`IS_IDLE` when no stream has work) and
///   acknowledges.
/// - CSG `doorbell_req` bit `j` vs `doorbell_ack`: stream `j`'s requests (`CS_STATE`).
/// `JOB_IRQ` bit `i` is raised when acknowledged bits meet the CSG `ack_irq_mask`, and for
/// `cs_irq_req` toggles and firmware events (`CSG_SYNC_UPDATE`, `CSG_IDLE`) under that mask.
///
/// ## Thread safety
/// Not thread-safe: used under the device lock.
final class Csg {
    final MaliCsf csf;
    final int index;
    final long inVa;
    final long outVa;
    final CommandStream[] streams;
    /// Address space of the group (`config`), read on `START`/`RESUME`.
    int as;
    boolean running;

    Csg(MaliCsf csf, int index, SharedLayout layout) {
        this.csf = csf;
        this.index = index;
        this.inVa = layout.csgInput(index);
        this.outVa = layout.csgOutput(index);
        this.streams = new CommandStream[layout.csPerCsg()];
        for (int j = 0; j < streams.length; j++) {
            streams[j] = new CommandStream(csf, this, j, layout.csInput(index, j), layout.csOutput(index, j));
        }
    }

    /// Handles this group's requests (its GLB doorbell bit toggled).
    void processRequests() {
        VmIo io = csf.io;
        io.begin();
        int req = io.read32(0, inVa + CsgIn.REQ);
        int ack = io.read32(0, outVa + CsgOut.ACK);
        int irqMask = io.read32(0, inVa + CsgIn.ACK_IRQ_MASK);
        int dbReq = io.read32(0, inVa + CsgIn.DOORBELL_REQ);
        int dbAck = io.read32(0, outVa + CsgOut.DOORBELL_ACK);
        int config = io.read32(0, inVa + CsgIn.CONFIG);
        if (!io.ok()) {
            csf.mcuFault("CSG request read", io);
            return;
        }
        int want = req & CsgIn.CSG_STATE_MASK;
        if (want != (ack & CsgIn.CSG_STATE_MASK)) {
            switch (want) {
                case CsgIn.CSG_STATE_START, CsgIn.CSG_STATE_RESUME -> {
                    if (config < 0 || config >= MaliRegs.AS_COUNT) {
                        csf.guestError("CSG " + index + " config names no address space: " + config);
                        config = MaliRegs.AS_COUNT - 1;
                    }
                    as = config;
                    running = true;
                }
                case CsgIn.CSG_STATE_SUSPEND -> running = false;
                default -> {
                    running = false;
                    for (CommandStream s : streams) {
                        s.stop();
                    }
                }
            }
        }
        if (((req ^ ack) & CsgIn.CSG_STATUS_UPDATE) != 0) {
            io.begin();
            io.write32(0, outVa + CsgOut.STATUS_STATE, idle() ? CsgOut.STATUS_STATE_IS_IDLE : 0);
            io.write32(0, outVa + CsgOut.STATUS_ENDPOINT_CURRENT, 0);
            io.write32(0, outVa + CsgOut.STATUS_ENDPOINT_REQ, io.read32(0, inVa + CsgIn.ENDPOINT_REQ));
        }
        int newAck = (ack & ~CsgIn.CSG_REQ_MASK) | (req & CsgIn.CSG_REQ_MASK);
        io.begin();
        io.write32(0, outVa + CsgOut.ACK, newAck);
        if (!io.ok()) {
            csf.mcuFault("CSG ack write", io);
            return;
        }
        int csMask = streams.length == 32 ? -1 : (1 << streams.length) - 1;
        int bits = (dbReq ^ dbAck) & csMask;
        for (int j = 0; j < streams.length; j++) {
            if ((bits >>> j & 1) != 0) {
                streams[j].processRequests();
            }
        }
        io.begin();
        io.write32(0, outVa + CsgOut.DOORBELL_ACK, dbAck ^ bits);
        if (((newAck ^ ack) & irqMask) != 0) {
            csf.ports.jobIrq().raise(MaliRegs.jobIrqCsg(index));
        }
        if (running) {
            for (CommandStream s : streams) {
                s.kick();
            }
        }
    }

    /// Whether no stream of the group has work it could do now.
    boolean idle() {
        for (CommandStream s : streams) {
            if (s.phase == CommandStream.Phase.RUNNING && (s.jobInFlight || s.hasWork())) {
                return false;
            }
        }
        return true;
    }

    /// A CS event or acknowledgement of stream `j`: toggles `cs_irq_req` bit `j`, raises
    /// `JOB_IRQ` bit `i`.
    void csIrq(int j) {
        VmIo io = csf.io;
        io.begin();
        int v = io.read32(0, outVa + CsgOut.CS_IRQ_REQ);
        io.write32(0, outVa + CsgOut.CS_IRQ_REQ, v ^ (1 << j));
        if (!io.ok()) {
            csf.mcuFault("cs_irq_req write", io);
            return;
        }
        csf.ports.jobIrq().raise(MaliRegs.jobIrqCsg(index));
    }

    /// A stream of the group updated a sync object: the `CSG_SYNC_UPDATE` event.
    void syncUpdate() {
        event(CsgIn.CSG_SYNC_UPDATE);
    }

    /// Raises firmware event `bit` unless it is already pending (ack != req for that bit).
    void event(int bit) {
        VmIo io = csf.io;
        io.begin();
        int req = io.read32(0, inVa + CsgIn.REQ);
        int ack = io.read32(0, outVa + CsgOut.ACK);
        int irqMask = io.read32(0, inVa + CsgIn.ACK_IRQ_MASK);
        if (((req ^ ack) & bit) != 0) {
            return; // already signalled, the host has not acknowledged it yet
        }
        io.write32(0, outVa + CsgOut.ACK, ack ^ bit);
        if (!io.ok()) {
            csf.mcuFault("CSG event write", io);
            return;
        }
        if ((irqMask & bit) != 0) {
            csf.ports.jobIrq().raise(MaliRegs.jobIrqCsg(index));
        }
    }

    void stopAll() {
        running = false;
        for (CommandStream s : streams) {
            s.stop();
        }
    }
}
