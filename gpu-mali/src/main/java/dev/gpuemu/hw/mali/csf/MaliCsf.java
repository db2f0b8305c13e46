package dev.gpuemu.hw.mali.csf;

import dev.gpuemu.hw.mali.CsfFrontend;
import dev.gpuemu.hw.mali.MaliHwPorts;
import dev.gpuemu.hw.mali.mmu.MaliMmu;
import dev.gpuemu.machine.GuestErrors;
import dev.gpuemu.machine.time.Timer;
import dev.gpuemu.regs.mali.CsfIface.GlbIn;
import dev.gpuemu.regs.mali.CsfIface.GlbOut;
import dev.gpuemu.regs.mali.MaliAsReg;
import dev.gpuemu.regs.mali.MaliException;
import dev.gpuemu.regs.mali.MaliRegs;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;

/// The G610's command stream frontend: the MCU (high-level emulation: no Cortex-M code runs),
/// its firmware interfaces in the shared section, the doorbells and the command streams.
/// docs/devices/mali-g610.md is its datasheet.
///
/// ## MCU
/// `MCU_CONTROL = AUTO` or `ENABLE` while the MCU is `DISABLED` (or `HALT`) boots it after
/// [CsfTiming#mcuBootNs()] ([McuBoot]); success writes the interface, sets `MCU_STATUS =
/// ENABLED` and raises `JOB_IRQ_GLOBAL_IF` (panthor's boot wait); failure sets `FATAL` and does
/// nothing else. `DISABLE` stops every stream at once and sets `DISABLED` after
/// [CsfTiming#mcuStopNs()]. Every status change raises `GPU_IRQ_MCU_STATUS_CHANGED`.
///
/// ## Doorbells
/// A doorbell write is handled [CsfTiming#mcuReactNs()] later on the clock thread. Doorbell 0
/// processes GLB requests (toggle bits in `GLB_REQ_MASK` are acknowledged; `GLB_HALT` halts the
/// MCU with `HALT_STATUS = HALT_OK`), then the GLB `doorbell_req` bits of CSGs ([Csg]); `JOB_IRQ
/// GLOBAL_IF` is raised when acknowledged bits meet the GLB `ack_irq_mask`. Doorbell `n > 0`
/// kicks every started stream whose `CS config` names doorbell `n`.
///
/// ## Blocked SYNC_WAITs
/// Re-read after every write a stream or job makes (sync ops, `STORE_MULTIPLE`, jobs), on every
/// doorbell, and every [CsfTiming#syncPollNs()] while any stream is blocked (writes by the CPU).
///
/// ## Guest errors
/// Doorbells out of range, bad `config` values and MCU boot failures are counted in
/// [GuestErrors] (kind `DEVICE`); faults of streams are reported to the guest as `CS_FATAL`.
///
/// ## Thread safety
/// [CsfFrontend] methods are called with the device lock held; clock events take it.
///
/// ## Lifecycle
/// Built once with the device; [#reset()] returns it to the power-on state (MCU disabled, no
/// streams, no pending event) any number of times.
public final class MaliCsf implements CsfFrontend {
    private static final String SOURCE = "mali-csf";

    final CsfPorts ports;
    final CsfTiming timing;
    final VmIo io;
    final ComputeKernels kernels;
    final Counters counters = new Counters();

    private int mcuControl = MaliRegs.MCU_CONTROL_DISABLE;
    private int mcuStatus = MaliRegs.MCU_STATUS_DISABLED;
    private SharedLayout layout;
    private Csg[] csgs = new Csg[0];
    private String lastFailure;
    private long pendingDoorbells;
    private boolean gpuActive;

    private Timer bootTimer;
    private Timer stopTimer;
    private Timer doorbellTimer;
    private Timer recheckTimer;
    private Timer pollTimer;
    private final Runnable bootAction = this::bootEvent;
    private final Runnable stopAction = this::stopEvent;
    private final Runnable doorbellAction = this::doorbellEvent;
    private final Runnable recheckAction = this::recheckEvent;
    private final Runnable pollAction = this::pollEvent;

    /// Event counters, for tests and statistics.
    static final class Counters {
        long jobs;
        long instructions;
        long csFatals;
        long syncUpdates;
        long syncWaitsBlocked;
        long streamsStarted;
        long doorbells;
    }

    /// A snapshot of the CSF's counters.
    ///
    /// @param jobs              compute jobs completed (successfully or faulted)
    /// @param instructions      command-stream instructions executed
    /// @param csFatals          streams stopped with `CS_FATAL`
    /// @param syncUpdates       `SYNC_ADD`/`SYNC_SET` executed
    /// @param syncWaitsBlocked  `SYNC_WAIT`s that blocked
    /// @param doorbells         doorbell writes
    public record Stats(long jobs, long instructions, long csFatals, long syncUpdates, long syncWaitsBlocked,
            long doorbells) {
    }

    public MaliCsf(CsfPorts ports, CsfTiming timing) {
        this.ports = Objects.requireNonNull(ports, "ports");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.io = new VmIo(ports.memory(), ports.faultStatus());
        this.kernels = new ComputeKernels(io);
    }

    /// A CSF with the G610 MC4 / RK3588 timing.
    public MaliCsf(CsfPorts ports) {
        this(ports, CsfTiming.G610_MC4_RK3588);
    }

    /// What [dev.gpuemu.hw.mali.MaliG610] takes to build its CSF: `new MaliG610(hw, name, config,
    /// MaliCsf.factory())`. The timing follows the device's clock and shader cores.
    public static Function<MaliHwPorts, CsfFrontend> factory() {
        return MaliCsf::fromPorts;
    }

    /// A CSF wired to the device top's ports.
    public static MaliCsf fromPorts(MaliHwPorts p) {
        IntUnaryOperator faultStatus = p.mmu() instanceof MaliMmu mmu
                ? as -> mmu.read(MaliRegs.asOffset(as, MaliAsReg.AS_FAULTSTATUS))
                : as -> 0;
        CsfTiming base = CsfTiming.G610_MC4_RK3588;
        CsfTiming timing = new CsfTiming(p.config().gpuClockHz(), p.config().shaderCores(), base.fmaPerCorePerCycle(),
                base.dramBytesPerSecond(), base.dispatchCycles(), base.instrCycles(), base.mcuBootNs(),
                base.mcuReactNs(), base.mcuStopNs(), base.syncPollNs());
        return new MaliCsf(new CsfPorts(p.clock(), p.gpuClock(), p.errors(), p.mmu(), p.jobIrq(), p.gpuIrq(),
                p.deviceLock(), faultStatus, p.gpu()), timing);
    }

    public CsfTiming timing() {
        return timing;
    }

    /// Why the MCU last went `FATAL` (null if it never did).
    public String lastFailure() {
        ports.deviceLock().lock();
        try {
            return lastFailure;
        } finally {
            ports.deviceLock().unlock();
        }
    }

    /// The shared-section layout of the running firmware (null before a successful boot).
    public SharedLayout layout() {
        ports.deviceLock().lock();
        try {
            return layout;
        } finally {
            ports.deviceLock().unlock();
        }
    }

    public Stats stats() {
        ports.deviceLock().lock();
        try {
            Counters c = counters;
            return new Stats(c.jobs, c.instructions, c.csFatals, c.syncUpdates, c.syncWaitsBlocked, c.doorbells);
        } finally {
            ports.deviceLock().unlock();
        }
    }

    /// CSG slot `i` of the running firmware (tests and the device's debug dump).
    Csg group(int i) {
        return csgs[i];
    }

    // ---- CsfFrontend ---------------------------------------------------------------------

    @Override
    public void writeMcuControl(int value) {
        mcuControl = value;
        switch (value) {
            case MaliRegs.MCU_CONTROL_ENABLE, MaliRegs.MCU_CONTROL_AUTO -> {
                boolean idle = mcuStatus == MaliRegs.MCU_STATUS_DISABLED || mcuStatus == MaliRegs.MCU_STATUS_HALT;
                if (idle && !pending(bootTimer)) {
                    cancel(stopTimer);
                    bootTimer = ports.clock().schedule(timing.mcuBootNs(), bootAction);
                }
            }
            case MaliRegs.MCU_CONTROL_DISABLE -> {
                cancel(bootTimer);
                stopStreams();
                if (mcuStatus != MaliRegs.MCU_STATUS_DISABLED && !pending(stopTimer)) {
                    stopTimer = ports.clock().schedule(timing.mcuStopNs(), stopAction);
                }
            }
            default -> guestError("MCU_CONTROL write of unknown value " + value);
        }
    }

    @Override
    public int mcuControl() {
        return mcuControl;
    }

    @Override
    public int mcuStatus() {
        return mcuStatus;
    }

    @Override
    public void ringDoorbell(int index) {
        if (index < 0 || index >= MaliRegs.CSF_DOORBELL_COUNT) {
            guestError("doorbell " + index + " does not exist");
            return;
        }
        counters.doorbells++;
        pendingDoorbells |= 1L << index;
        if (!pending(doorbellTimer)) {
            doorbellTimer = ports.clock().schedule(timing.mcuReactNs(), doorbellAction);
        }
    }

    @Override
    public void reset() {
        cancel(bootTimer);
        cancel(stopTimer);
        cancel(doorbellTimer);
        cancel(recheckTimer);
        cancel(pollTimer);
        stopStreams();
        pendingDoorbells = 0;
        csgs = new Csg[0];
        gpuActive = false;
        layout = null;
        mcuControl = MaliRegs.MCU_CONTROL_DISABLE;
        mcuStatus = MaliRegs.MCU_STATUS_DISABLED;
    }

    // ---- MCU -----------------------------------------------------------------------------

    boolean mcuRunning() {
        return mcuStatus == MaliRegs.MCU_STATUS_ENABLED;
    }

    private void bootEvent() {
        ports.deviceLock().lock();
        try {
            bootTimer = null;
            McuBoot.Result r = McuBoot.boot(io);
            if (r.layout() == null) {
                lastFailure = r.failure();
                guestError("MCU boot failed: " + r.failure());
                setStatus(MaliRegs.MCU_STATUS_FATAL);
                return;
            }
            layout = r.layout();
            csgs = new Csg[layout.csgCount()];
            for (int i = 0; i < csgs.length; i++) {
                csgs[i] = new Csg(this, i, layout);
            }
            setStatus(MaliRegs.MCU_STATUS_ENABLED);
            ports.jobIrq().raise(MaliRegs.JOB_IRQ_GLOBAL_IF);
        } finally {
            ports.deviceLock().unlock();
        }
    }

    private void stopEvent() {
        ports.deviceLock().lock();
        try {
            stopTimer = null;
            setStatus(MaliRegs.MCU_STATUS_DISABLED);
        } finally {
            ports.deviceLock().unlock();
        }
    }

    private void setStatus(int status) {
        if (mcuStatus != status) {
            mcuStatus = status;
            ports.gpuIrq().raise(MaliRegs.GPU_IRQ_MCU_STATUS_CHANGED);
        }
    }

    /// The MCU's own access to address space 0 faulted: it stops, `MCU_STATUS = FATAL`.
    void mcuFault(String what, VmIo failed) {
        lastFailure = String.format("%s faulted at 0x%x (%s)", what, failed.faultVa(),
                MaliException.name(failed.faultType()));
        guestError("MCU fault: " + lastFailure);
        stopStreams();
        setStatus(MaliRegs.MCU_STATUS_FATAL);
    }

    private void stopStreams() {
        for (Csg g : csgs) {
            g.stopAll();
        }
        updateActive();
    }

    /// Sets `GPU_STATUS.ACTIVE` while any stream has work or a job in flight.
    void updateActive() {
        boolean active = false;
        for (Csg g : csgs) {
            active |= g.running && !g.idle();
        }
        if (active != gpuActive) {
            gpuActive = active;
            ports.gpu().setCsfActive(active);
        }
    }

    // ---- Doorbells and GLB -----------------------------------------------------------------

    private void doorbellEvent() {
        ports.deviceLock().lock();
        try {
            doorbellTimer = null;
            long bits = pendingDoorbells;
            pendingDoorbells = 0;
            if (!mcuRunning()) {
                return;
            }
            if ((bits & 1) != 0) {
                processGlobal();
            }
            for (int n = 1; n < MaliRegs.CSF_DOORBELL_COUNT && mcuRunning(); n++) {
                if ((bits >>> n & 1) != 0) {
                    ringStreams(n);
                }
            }
            recheckWaits();
        } finally {
            ports.deviceLock().unlock();
        }
    }

    private void processGlobal() {
        long in = layout.glbInput();
        long out = layout.glbOutput();
        io.begin();
        int req = io.read32(0, in + GlbIn.REQ);
        int ack = io.read32(0, out + GlbOut.ACK);
        int irqMask = io.read32(0, in + GlbIn.ACK_IRQ_MASK);
        int dbReq = io.read32(0, in + GlbIn.DOORBELL_REQ);
        int dbAck = io.read32(0, out + GlbOut.DOORBELL_ACK);
        if (!io.ok()) {
            mcuFault("GLB request read", io);
            return;
        }
        int changed = (req ^ ack) & GlbIn.GLB_REQ_MASK;
        int newAck = ack ^ changed;
        int csgMask = (1 << csgs.length) - 1;
        int bits = (dbReq ^ dbAck) & csgMask;
        for (int i = 0; i < csgs.length && mcuRunning(); i++) {
            if ((bits >>> i & 1) != 0) {
                csgs[i].processRequests();
            }
        }
        if (!mcuRunning()) {
            return;
        }
        io.begin();
        io.write32(0, out + GlbOut.DOORBELL_ACK, dbAck ^ bits);
        if ((changed & GlbIn.GLB_HALT) != 0) {
            io.write32(0, out + GlbOut.HALT_STATUS, GlbOut.HALT_OK);
        }
        io.write32(0, out + GlbOut.ACK, newAck);
        if (!io.ok()) {
            mcuFault("GLB ack write", io);
            return;
        }
        if ((changed & irqMask) != 0) {
            ports.jobIrq().raise(MaliRegs.JOB_IRQ_GLOBAL_IF);
        }
        if ((changed & GlbIn.GLB_HALT) != 0) {
            stopStreams();
            setStatus(MaliRegs.MCU_STATUS_HALT);
        }
    }

    private void ringStreams(int doorbell) {
        for (Csg g : csgs) {
            for (CommandStream s : g.streams) {
                if (s.phase == CommandStream.Phase.RUNNING && dev.gpuemu.regs.mali.CsfIface.CsIn.doorbell(s.config) == doorbell) {
                    s.kick();
                }
            }
        }
    }

    // ---- Sync objects ------------------------------------------------------------------------

    /// A stream or job wrote memory: blocked `SYNC_WAIT`s re-read their objects (in an event
    /// of their own, after the writer's slice).
    void memoryWritten() {
        if (!pending(recheckTimer)) {
            recheckTimer = ports.clock().schedule(0, recheckAction);
        }
    }

    /// Starts the periodic re-read while a stream is blocked.
    void ensurePoll() {
        if (!pending(pollTimer)) {
            pollTimer = ports.clock().schedule(timing.syncPollNs(), pollAction);
        }
    }

    private void recheckEvent() {
        ports.deviceLock().lock();
        try {
            recheckTimer = null;
            recheckWaits();
        } finally {
            ports.deviceLock().unlock();
        }
    }

    private void pollEvent() {
        ports.deviceLock().lock();
        try {
            pollTimer = null;
            if (recheckWaits()) {
                ensurePoll();
            }
        } finally {
            ports.deviceLock().unlock();
        }
    }

    /// Re-reads every blocked wait; true if some stream is still blocked.
    private boolean recheckWaits() {
        boolean blocked = false;
        for (Csg g : csgs) {
            for (CommandStream s : g.streams) {
                if (s.waiting && mcuRunning()) {
                    s.recheckWait();
                    blocked |= s.waiting;
                }
            }
        }
        return blocked;
    }

    // ---- Helpers -----------------------------------------------------------------------------

    void guestError(String message) {
        ports.errors().report(GuestErrors.Kind.DEVICE, SOURCE, message);
    }

    void logFatal(CommandStream s, int type, long info) {
        guestError(String.format("CSG %d CS %d: CS_FATAL %s at 0x%x", s.group.index, s.index,
                MaliException.name(type), info));
    }

    private static boolean pending(Timer t) {
        return t != null && t.isPending();
    }

    private static void cancel(Timer t) {
        if (t != null) {
            t.cancel();
        }
    }
}
