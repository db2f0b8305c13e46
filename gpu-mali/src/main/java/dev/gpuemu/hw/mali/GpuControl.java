package dev.gpuemu.hw.mali;

import static dev.gpuemu.regs.mali.MaliRegs.*;

import dev.gpuemu.machine.GuestErrors;
import dev.gpuemu.machine.GuestErrors.Kind;
import dev.gpuemu.machine.time.ClockDomain;
import dev.gpuemu.machine.time.SimClock;
import dev.gpuemu.regs.mali.MaliReg;
import java.util.concurrent.locks.ReentrantLock;

/// The GPU control block's behaviour: reset, the three power domains, cache flushes, counters,
/// fault registers, the power key and the coherency protocol. [MaliG610] decodes offsets and calls
/// [#read]/[#write] with the register and the half (64-bit registers are LO/HI word pairs).
///
/// Delayed work (reset completion, power transitions, flushes) is scheduled on the [SimClock];
/// each event takes the device lock and does nothing if a reset happened since it was scheduled
/// (the reset bumps [#generation]).
///
/// ## Thread safety
/// Guarded by the device lock (MMIO handlers hold it; events take it).
final class GpuControl implements GpuControlPort {
    private final String source;
    private final MaliConfig config;
    private final SimClock clock;
    private final ClockDomain gpuClock;
    private final ClockDomain timestampClock = new ClockDomain("mali-timestamp", TIMESTAMP_HZ);
    private final GuestErrors errors;
    private final ReentrantLock lock;
    private final IrqBlock gpuIrq;
    private final IrqBlock jobIrq;
    private final MaliG610.FlushIdPage flushId;
    final PowerDomain shader;
    final PowerDomain tiler;
    final PowerDomain l2;
    private CsfFrontend csf;
    private Runnable resetHook;

    // State, reset by a GPU reset unless noted.
    private int generation;          // never reset: counts resets
    private boolean resetting;
    private long l2UpAtNs;           // when the L2's pending power-on completes
    private long l2OnSinceNs = -1;   // start of the current L2-powered interval, or -1
    private long l2OnAccumNs;        // L2-powered time before that interval
    private boolean csfActive;
    private int faultStatus;
    private long faultAddress;
    private boolean pwrKeyUnlocked;
    private int pwrOverride0;
    private int pwrOverride1;
    private long timestampOffset;
    private int coherencyProtocol = (int) MaliReg.COHERENCY_PROTOCOL.resetValue();

    GpuControl(String source, MaliConfig config, SimClock clock, ClockDomain gpuClock, GuestErrors errors,
               ReentrantLock lock, IrqBlock gpuIrq, IrqBlock jobIrq, MaliG610.FlushIdPage flushId) {
        this.source = source;
        this.config = config;
        this.clock = clock;
        this.gpuClock = gpuClock;
        this.errors = errors;
        this.lock = lock;
        this.gpuIrq = gpuIrq;
        this.jobIrq = jobIrq;
        this.flushId = flushId;
        this.shader = new PowerDomain("shader", config.shaderPresent());
        this.tiler = new PowerDomain("tiler", MaliReg.TILER_PRESENT.resetValue());
        this.l2 = new PowerDomain("l2", MaliReg.L2_PRESENT.resetValue());
    }

    /// Wires the frontend and what else a reset must reset (the MMU); called once while building.
    void connect(CsfFrontend csf, Runnable resetHook) {
        this.csf = csf;
        this.resetHook = resetHook;
    }

    boolean resetting() {
        return resetting;
    }

    // ---- register access ---------------------------------------------------------------------

    /// The 32-bit value of `reg` (its high half when `hi`).
    int read(MaliReg reg, boolean hi) {
        long v = switch (reg) {
            case SHADER_PRESENT -> config.shaderPresent();
            case GPU_IRQ_RAWSTAT -> gpuIrq.rawstat();
            case GPU_IRQ_MASK -> gpuIrq.mask();
            case GPU_IRQ_STATUS -> gpuIrq.status();
            case JOB_IRQ_RAWSTAT -> jobIrq.rawstat();
            case JOB_IRQ_MASK -> jobIrq.mask();
            case JOB_IRQ_STATUS -> jobIrq.status();
            case GPU_STATUS -> gpuStatus();
            case GPU_FAULT_STATUS -> faultStatus;
            case GPU_FAULT_ADDR -> faultAddress;
            case PWR_OVERRIDE0 -> pwrOverride0;
            case PWR_OVERRIDE1 -> pwrOverride1;
            case TIMESTAMP_OFFSET -> timestampOffset;
            case CYCLE_COUNT -> cycleCount();
            case TIMESTAMP -> timestamp();
            case SHADER_READY -> shader.ready();
            case TILER_READY -> tiler.ready();
            case L2_READY -> l2.ready();
            case SHADER_PWRTRANS -> shader.trans();
            case TILER_PWRTRANS -> tiler.trans();
            case L2_PWRTRANS -> l2.trans();
            case COHERENCY_PROTOCOL -> coherencyProtocol;
            case MCU_CONTROL -> csf.mcuControl();
            case MCU_STATUS -> csf.mcuStatus();
            // Write-only registers read 0; PWRACTIVE is not modelled (reads 0, documented).
            case GPU_IRQ_CLEAR, GPU_CMD, GPU_PWR_KEY, SHADER_PWRON, TILER_PWRON, L2_PWRON, SHADER_PWROFF,
                 TILER_PWROFF, L2_PWROFF, JOB_IRQ_CLEAR, SHADER_PWRACTIVE, TILER_PWRACTIVE, L2_PWRACTIVE -> 0;
            // MMU_IRQ_* are served by the MMU; identity registers read their reset values.
            default -> reg.resetValue();
        };
        return (int) (hi ? v >>> 32 : v);
    }

    /// A 32-bit write of `value` to `reg` (its high half when `hi`). Called only when not resetting.
    void write(MaliReg reg, boolean hi, int value) {
        int shift = hi ? 32 : 0;
        long wide = Integer.toUnsignedLong(value) << shift;
        switch (reg) {
            case GPU_IRQ_RAWSTAT -> gpuIrq.writeRawstat(value);
            case GPU_IRQ_CLEAR -> gpuIrq.clear(value);
            case GPU_IRQ_MASK -> gpuIrq.writeMask(value);
            case JOB_IRQ_RAWSTAT -> jobIrq.writeRawstat(value);
            case JOB_IRQ_CLEAR -> jobIrq.clear(value);
            case JOB_IRQ_MASK -> jobIrq.writeMask(value);
            case GPU_CMD -> command(value);
            case GPU_PWR_KEY -> pwrKeyUnlocked = value == GPU_PWR_KEY_UNLOCK;
            case PWR_OVERRIDE0, PWR_OVERRIDE1 -> writeOverride(reg, value);
            case TIMESTAMP_OFFSET -> timestampOffset = (timestampOffset & ~(0xFFFF_FFFFL << shift)) | wide;
            case SHADER_PWRON -> shaderOn(wide);
            case TILER_PWRON -> tilerOn(wide);
            case L2_PWRON -> powerOn(l2, wide, MaliTimings.L2_POWER_NS);
            case SHADER_PWROFF -> powerOff(shader, wide, MaliTimings.CORE_POWER_NS);
            case TILER_PWROFF -> powerOff(tiler, wide, MaliTimings.CORE_POWER_NS);
            case L2_PWROFF -> l2Off(wide);
            case COHERENCY_PROTOCOL -> writeCoherency(value);
            case MCU_CONTROL -> csf.writeMcuControl(value);
            default -> errors.report(Kind.READ_ONLY_WRITE, source, "write to read-only register " + reg.name(),
                    reg.offset() + (hi ? 4 : 0));
        }
    }

    private int gpuStatus() {
        int s = csfActive ? GPU_STATUS_ACTIVE : 0;
        if ((l2.ready() | l2.trans() | shader.ready() | shader.trans() | tiler.ready() | tiler.trans()) != 0) {
            s |= GPU_STATUS_PWR_ACTIVE;
        }
        return s;
    }

    /// Completed GPU cycles while the L2 was powered, since the last reset.
    long cycleCount() {
        long ns = l2OnAccumNs + (l2OnSinceNs >= 0 ? clock.nowNs() - l2OnSinceNs : 0);
        return gpuClock.nsToCycles(ns);
    }

    /// The system counter (24 MHz since power-on) plus `TIMESTAMP_OFFSET`.
    long timestamp() {
        return timestampClock.cycleCountAt(clock.nowNs()) + timestampOffset;
    }

    private void writeOverride(MaliReg reg, int value) {
        if (!pwrKeyUnlocked) {
            errors.report(Kind.DEVICE, source, "PWR_OVERRIDE write without GPU_PWR_KEY", reg.offset());
            return;
        }
        pwrKeyUnlocked = false; // the key opens one write
        if (reg == MaliReg.PWR_OVERRIDE0) {
            pwrOverride0 = value;
        } else {
            pwrOverride1 = value;
        }
    }

    private void writeCoherency(int value) {
        if (value != COHERENCY_ACE_LITE && value != COHERENCY_ACE && value != COHERENCY_NONE) {
            errors.report(Kind.DEVICE, source, "COHERENCY_PROTOCOL value not defined", value);
            return;
        }
        coherencyProtocol = value;
    }

    // ---- GPU_CMD -----------------------------------------------------------------------------

    private void command(int value) {
        int type = value & 0xFF;
        if (value == GPU_CMD_NOP) {
            return;
        } else if (value == GPU_CMD_SOFT_RESET) {
            startReset(MaliTimings.SOFT_RESET_NS);
        } else if (value == GPU_CMD_HARD_RESET) {
            startReset(MaliTimings.HARD_RESET_NS);
        } else if (type == GPU_CMD_TYPE_FLUSH_CACHES) {
            long lines = MaliReg.L2_FEATURES.resetValue() >>> 16 & 0xFF; // log2 of the L2 size
            lines = 1L << (lines - L2_LINE_SIZE_LOG2.get(MaliReg.L2_FEATURES.resetValue()));
            long cycles = MaliTimings.FLUSH_SETUP_CYCLES + lines * MaliTimings.FLUSH_CYCLES_PER_LINE;
            int gen = generation;
            clock.schedule(gpuClock.cyclesToNs(cycles), () -> finishFlush(gen));
        } else {
            errors.report(Kind.DEVICE, source, "GPU_CMD not modelled", Integer.toUnsignedLong(value));
        }
    }

    private void finishFlush(int gen) {
        lock.lock();
        try {
            if (gen != generation) {
                return;
            }
            flushId.bump();
            gpuIrq.raise(GPU_IRQ_CLEAN_CACHES_COMPLETED);
        } finally {
            lock.unlock();
        }
    }

    /// A reset: every block returns to its reset state at once (power off, MMU and CSF stopped,
    /// pending work dropped); `RESET_COMPLETED` is raised `delayNs` later. IRQ masks survive.
    private void startReset(long delayNs) {
        if (resetting) {
            errors.report(Kind.DEVICE, source, "GPU_CMD reset while a reset is in progress");
            return;
        }
        resetting = true;
        generation++;
        shader.reset();
        tiler.reset();
        l2.reset();
        l2OnSinceNs = -1;
        l2OnAccumNs = 0;
        csfActive = false;
        faultStatus = 0;
        faultAddress = 0;
        pwrKeyUnlocked = false;
        pwrOverride0 = 0;
        pwrOverride1 = 0;
        timestampOffset = 0;
        coherencyProtocol = (int) MaliReg.COHERENCY_PROTOCOL.resetValue();
        gpuIrq.clear(-1);
        jobIrq.clear(-1);
        resetHook.run();
        csf.reset();
        int gen = generation;
        clock.schedule(delayNs, () -> finishReset(gen));
    }

    private void finishReset(int gen) {
        lock.lock();
        try {
            if (gen != generation) {
                return;
            }
            resetting = false;
            gpuIrq.raise(GPU_IRQ_RESET_COMPLETED);
        } finally {
            lock.unlock();
        }
    }

    // ---- power ---------------------------------------------------------------------------------

    private void shaderOn(long mask) {
        poweredCoreOn(shader, mask);
    }

    private void tilerOn(long mask) {
        poweredCoreOn(tiler, mask);
    }

    /// Shader cores and tilers hang off the L2: as on hardware, requesting them while the L2 is
    /// off powers the L2 up first (implicitly); the cores' transition ends [MaliTimings#CORE_POWER_NS]
    /// after the L2 is up.
    private void poweredCoreOn(PowerDomain d, long mask) {
        reportAbsent(d, mask);
        long batch = d.requestOn(mask);
        if (batch == 0) {
            return;
        }
        long now = clock.nowNs();
        if ((l2.onOrRising() & l2.present) != l2.present) {
            powerOn(l2, l2.present, MaliTimings.L2_POWER_NS);
        }
        long l2Wait = l2.trans() != 0 ? Math.max(0, l2UpAtNs - now) : 0;
        schedulePower(d, batch, true, l2Wait + MaliTimings.CORE_POWER_NS);
    }

    private void powerOn(PowerDomain d, long mask, long delayNs) {
        reportAbsent(d, mask);
        long batch = d.requestOn(mask);
        if (batch != 0) {
            if (d == l2) {
                l2UpAtNs = clock.nowNs() + delayNs;
            }
            schedulePower(d, batch, true, delayNs);
        }
    }

    private void powerOff(PowerDomain d, long mask, long delayNs) {
        reportAbsent(d, mask);
        long batch = d.requestOff(mask);
        if (batch != 0) {
            schedulePower(d, batch, false, delayNs);
        }
    }

    /// The L2 may go down only when no shader core or tiler is on or rising; otherwise the request
    /// is refused (a counted guest error), as the power controller would leave the L2 up.
    private void l2Off(long mask) {
        if ((mask & l2.present) != 0 && (shader.onOrRising() | tiler.onOrRising()) != 0) {
            errors.report(Kind.DEVICE, source, "L2_PWROFF while shader cores or tilers are powered");
            return;
        }
        powerOff(l2, mask, MaliTimings.L2_POWER_NS);
    }

    private void reportAbsent(PowerDomain d, long mask) {
        if ((mask & ~d.present) != 0) {
            errors.report(Kind.DEVICE, source, d.name + " power request for cores not present", mask);
        }
    }

    private void schedulePower(PowerDomain d, long batch, boolean on, long delayNs) {
        int gen = generation;
        clock.schedule(delayNs, () -> finishPower(gen, d, batch, on));
    }

    private void finishPower(int gen, PowerDomain d, long batch, boolean on) {
        lock.lock();
        try {
            if (gen != generation) {
                return;
            }
            boolean l2WasOn = l2.ready() != 0;
            long done = d.complete(batch, on);
            if (done == 0) {
                return;
            }
            boolean l2On = l2.ready() != 0;
            long now = clock.nowNs();
            if (!l2WasOn && l2On) {
                l2OnSinceNs = now;
            } else if (l2WasOn && !l2On) {
                l2OnAccumNs += now - l2OnSinceNs;
                l2OnSinceNs = -1;
            }
            boolean all = (shader.trans() | tiler.trans() | l2.trans()) == 0;
            gpuIrq.raise(GPU_IRQ_POWER_CHANGED_SINGLE | (all ? GPU_IRQ_POWER_CHANGED_ALL : 0));
        } finally {
            lock.unlock();
        }
    }

    // ---- GpuControlPort ---------------------------------------------------------------------------

    @Override
    public boolean l2Ready() {
        return l2.ready() == l2.present && l2.trans() == 0;
    }

    @Override
    public long shaderReady() {
        return shader.ready();
    }

    @Override
    public long tilerReady() {
        return tiler.ready();
    }

    @Override
    public int latestFlushId() {
        return flushId.value();
    }

    @Override
    public int flushCachesFromCsf() {
        return flushId.bump();
    }

    @Override
    public void setCsfActive(boolean active) {
        csfActive = active;
    }

    @Override
    public void reportGpuFault(int status, long address) {
        if ((gpuIrq.rawstat() & GPU_IRQ_FAULT) == 0) { // keep the first fault until it is cleared
            faultStatus = status;
            faultAddress = address;
        }
        gpuIrq.raise(GPU_IRQ_FAULT);
    }
}
