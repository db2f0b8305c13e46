package dev.gpuemu.hw.mali.csf;

import dev.gpuemu.machine.time.Timer;
import dev.gpuemu.regs.mali.CsInstr;
import dev.gpuemu.regs.mali.CsfIface.CsIn;
import dev.gpuemu.regs.mali.CsfIface.CsOut;
import dev.gpuemu.regs.mali.CsfIface.Ring;
import dev.gpuemu.regs.mali.MaliException;

/// One command stream (CS `j` of CSG `i`): its interface blocks, its ring buffer, its 96
/// registers and call stack, and its run state. [CsInterpreter] executes its instructions.
///
/// ## Run states
/// `STOPPED` (never started or `CS_STATE = STOP`) -> `RUNNING` on `CS_STATE = START`;
/// `RUNNING` -> `FAULTED` on a `CS_FATAL` (nothing runs until the host stops and restarts it).
/// A running stream is *idle* when its ring is empty, *blocked* on a `SYNC_WAIT` or a compute
/// job in flight, or *scheduled* (a clock event will run its next slice).
///
/// ## Execution in simulated time
/// A slice runs up to [#SLICE] instructions at the time of its event; the next slice (or the
/// start of a compute job) comes [CsfTiming#instrCycles()] per instruction later. A job blocks
/// the stream until its completion event (jobs therefore complete in order and `WAIT` is a
/// no-op). Instructions are fetched and job memory accessed through the group's address space;
/// the ring pointer pages through address space 0.
///
/// ## Thread safety
/// Not thread-safe: used on the clock thread and from register handlers, always under the
/// device lock.
final class CommandStream {
    /// Instructions per slice.
    static final int SLICE = 1024;

    enum Phase { STOPPED, RUNNING, FAULTED }

    final MaliCsf csf;
    final Csg group;
    final int index;
    final long inVa;
    final long outVa;

    final int[] regs = new int[CsInstr.REGISTERS];
    final long[] framePc = new long[CsInstr.CALL_DEPTH];
    final long[] frameEnd = new long[CsInstr.CALL_DEPTH];
    int depth;

    Phase phase = Phase.STOPPED;
    long ringBase;
    long ringSize;
    long ringIn;
    long ringOut;
    int config;
    long extract;
    long insert;

    // SYNC_WAIT in progress.
    boolean waiting;
    long waitVa;
    long waitRef;
    int waitCond;
    boolean wait64;
    long blockedAt;

    // RUN_COMPUTE in flight.
    boolean jobInFlight;
    int jobKernel;
    final long[] jobArgs = new long[7];
    long jobVa;
    private Timer jobTimer;
    private Timer sliceTimer;
    private final Runnable sliceAction = this::sliceEvent;
    private final Runnable jobAction = this::jobEvent;

    CommandStream(MaliCsf csf, Csg group, int index, long inVa, long outVa) {
        this.csf = csf;
        this.group = group;
        this.index = index;
        this.inVa = inVa;
        this.outVa = outVa;
    }

    /// Handles a CS request (the host toggled this stream's bit in the CSG `doorbell_req`).
    void processRequests() {
        VmIo io = csf.io;
        io.begin();
        int req = io.read32(0, inVa + CsIn.REQ);
        int ack = io.read32(0, outVa + CsOut.ACK);
        int irqMask = io.read32(0, inVa + CsIn.ACK_IRQ_MASK);
        if (!io.ok()) {
            csf.mcuFault("CS request read", io);
            return;
        }
        int want = req & CsIn.CS_STATE_MASK;
        if (want != (ack & CsIn.CS_STATE_MASK)) {
            if (want == CsIn.CS_STATE_START) {
                start();
            } else {
                stop();
            }
        }
        int newAck = (ack & ~CsIn.CS_REQ_MASK) | (req & CsIn.CS_REQ_MASK);
        io.begin();
        io.write32(0, outVa + CsOut.ACK, newAck);
        if (!io.ok()) {
            csf.mcuFault("CS ack write", io);
            return;
        }
        if (((newAck ^ ack) & irqMask) != 0) {
            group.csIrq(index);
        }
        if (phase == Phase.RUNNING) {
            kick();
        }
    }

    private void start() {
        VmIo io = csf.io;
        io.begin();
        ringBase = io.read64(0, inVa + CsIn.RINGBUF_BASE);
        ringSize = Integer.toUnsignedLong(io.read32(0, inVa + CsIn.RINGBUF_SIZE));
        ringIn = io.read64(0, inVa + CsIn.RINGBUF_INPUT);
        ringOut = io.read64(0, inVa + CsIn.RINGBUF_OUTPUT);
        config = io.read32(0, inVa + CsIn.CONFIG);
        if (!io.ok()) {
            csf.mcuFault("CS start read", io);
            return;
        }
        java.util.Arrays.fill(regs, 0);
        depth = 0;
        waiting = false;
        phase = Phase.RUNNING;
        csf.counters.streamsStarted++;
        if (ringSize == 0 || (ringSize & 7) != 0 || (ringBase & 7) != 0) {
            fatal(MaliException.CS_CONFIG_FAULT.code(), 0, ringBase);
            return;
        }
        io.begin();
        extract = io.read64(0, ringOut + Ring.OUT_EXTRACT);
        insert = extract;
        if (!io.ok()) {
            fatal(io.faultType(), 0, io.faultVa());
        }
    }

    /// Stops the stream: cancels its pending slice and job (a job in flight never writes).
    void stop() {
        cancelTimers();
        phase = Phase.STOPPED;
        waiting = false;
        jobInFlight = false;
    }

    void cancelTimers() {
        if (sliceTimer != null) {
            sliceTimer.cancel();
            sliceTimer = null;
        }
        if (jobTimer != null) {
            jobTimer.cancel();
            jobTimer = null;
        }
    }

    /// Whether the stream runs when its group does and has nothing blocking it.
    boolean runnable() {
        return phase == Phase.RUNNING && group.running && !waiting && !jobInFlight;
    }

    /// Schedules a slice if the stream can run and none is pending (doorbells, unblocking).
    void kick() {
        if (runnable() && (sliceTimer == null || !sliceTimer.isPending())) {
            sliceTimer = csf.ports.clock().schedule(0, sliceAction);
        }
    }

    private void sliceEvent() {
        csf.ports.deviceLock().lock();
        try {
            sliceTimer = null;
            if (runnable() && csf.mcuRunning()) {
                long cycles = CsInterpreter.runSlice(this);
                if (runnable() && cycles > 0 && hasWork()) {
                    sliceTimer = csf.ports.clock().schedule(csf.timing.cyclesToNs(cycles), sliceAction);
                }
                csf.updateActive();
            }
        } finally {
            csf.ports.deviceLock().unlock();
        }
    }

    /// Whether instructions remain (a call frame or ring bytes the last insert read showed).
    boolean hasWork() {
        return depth > 0 || extract < insert;
    }

    /// Starts the compute job prepared in `jobKernel`/`jobArgs`, `delayCycles` of stream
    /// time from now.
    void startJob(long delayCycles) {
        jobInFlight = true;
        long ns = csf.timing.cyclesToNs(delayCycles)
                + csf.timing.jobNs(ComputeKernels.trafficBytes(jobKernel, jobArgs), ComputeKernels.flops(jobKernel, jobArgs));
        jobTimer = csf.ports.clock().schedule(ns, jobAction);
    }

    private void jobEvent() {
        csf.ports.deviceLock().lock();
        try {
            jobTimer = null;
            if (!jobInFlight || phase != Phase.RUNNING) {
                return;
            }
            jobInFlight = false;
            csf.counters.jobs++;
            if (!csf.kernels.run(group.as, jobKernel, jobArgs)) {
                fatal(csf.io.faultType(), 0, csf.io.faultVa());
            } else {
                csf.memoryWritten();
                publishProgress();
                kick();
            }
            csf.updateActive();
        } finally {
            csf.ports.deviceLock().unlock();
        }
    }

    /// Re-reads a blocked `SYNC_WAIT`'s object; unblocks and kicks the stream when satisfied.
    void recheckWait() {
        if (!waiting || phase != Phase.RUNNING) {
            return;
        }
        VmIo io = csf.io;
        io.begin();
        long v = wait64 ? io.read64(group.as, waitVa) : Integer.toUnsignedLong(io.read32(group.as, waitVa));
        if (!io.ok()) {
            fatal(io.faultType(), 0, io.faultVa());
            return;
        }
        if (CsInterpreter.waitSatisfied(waitCond, v, waitRef, wait64)) {
            waiting = false;
            io.begin();
            io.write32(0, outVa + CsOut.STATUS_WAIT, 0);
            io.write32(0, outVa + CsOut.STATUS_BLOCKED_REASON, CsOut.BLOCKED_UNBLOCKED);
            kick();
        }
    }

    /// Writes `extract` to the ring output page and the command pointer to the CS output.
    void publishProgress() {
        VmIo io = csf.io;
        io.begin();
        io.write64(0, ringOut + Ring.OUT_EXTRACT, extract);
        io.write64(0, outVa + CsOut.STATUS_CMD_PTR, currentVa());
        if (!io.ok()) {
            csf.mcuFault("ring output write", io);
        }
    }

    /// GPU VA of the next instruction (or of the blocking one).
    long currentVa() {
        if (waiting || jobInFlight) {
            return blockedAt;
        }
        return depth > 0 ? framePc[depth - 1] : ringBase + (ringSize == 0 ? 0 : extract % ringSize);
    }

    /// Stops the stream with `CS_FATAL`: exception `type` (data `data`), `info` (e.g. the
    /// faulting VA); toggles `CS_FATAL` in the ack, `cs_irq_req` bit `index`, raises `JOB_IRQ`.
    void fatal(int type, int data, long info) {
        cancelTimers();
        jobInFlight = false;
        waiting = false;
        phase = Phase.FAULTED;
        csf.counters.csFatals++;
        VmIo io = csf.io;
        io.begin();
        int ack = io.read32(0, outVa + CsOut.ACK);
        int irqMask = io.read32(0, inVa + CsIn.ACK_IRQ_MASK);
        io.write32(0, outVa + CsOut.FATAL, (type & 0xFF) | data << 8);
        io.write64(0, outVa + CsOut.FATAL_INFO, info);
        io.write64(0, outVa + CsOut.STATUS_CMD_PTR, blockedAt);
        io.write64(0, ringOut + Ring.OUT_EXTRACT, extract);
        io.write32(0, outVa + CsOut.ACK, ack ^ CsIn.CS_FATAL);
        if (!io.ok()) {
            csf.mcuFault("CS fatal write", io);
            return;
        }
        csf.logFatal(this, type, info);
        if ((irqMask & CsIn.CS_FATAL) != 0) {
            group.csIrq(index);
        }
    }

    long d(int n) {
        return Integer.toUnsignedLong(regs[n]) | (long) regs[n + 1] << 32;
    }

    void setD(int n, long v) {
        regs[n] = (int) v;
        regs[n + 1] = (int) (v >>> 32);
    }
}
