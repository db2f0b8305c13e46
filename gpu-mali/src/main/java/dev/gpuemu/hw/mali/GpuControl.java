package dev.gpuemu.hw.mali;

import static dev.gpuemu.regs.mali.MaliRegs.*;

import dev.gpuemu.machine.GuestErrors;
import dev.gpuemu.machine.GuestErrors.Kind;
import dev.gpuemu.machine.time.ClockDomain;
import dev.gpuemu.machine.time.SimClock;
import dev.gpuemu.regs.mali.MaliReg;
import java.util.concurrent.locks.ReentrantLock;

/// The GPU control block's behaviour: reset, power (delegated to [PowerController]), cache flushes, counters,
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
    final PowerController power;
    private CsfFrontend csf;
    private Runnable resetHook;

    // State, reset by a GPU reset unless noted.
    private int generation;          // never reset: counts resets
    private boolean resetting;
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
        this.power = new PowerController(source, config, clock, gpuClock, errors, lock, gpuIrq);
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
            case CYCLE_COUNT -> power.cycleCount();
            case TIMESTAMP -> timestamp();
            case SHADER_READY -> power.shader.ready();
            case TILER_READY -> power.tiler.ready();
            case L2_READY -> power.l2.ready();
            case SHADER_PWRTRANS -> power.shader.trans();
            case TILER_PWRTRANS -> power.tiler.trans();
            case L2_PWRTRANS -> power.l2.trans();
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
            case SHADER_PWRON, TILER_PWRON, L2_PWRON, SHADER_PWROFF, TILER_PWROFF, L2_PWROFF -> power.write(reg, wide);
            case COHERENCY_PROTOCOL -> writeCoherency(value);
            case MCU_CONTROL -> csf.writeMcuControl(value);
            default -> errors.report(Kind.READ_ONLY_WRITE, source, "write to read-only register " + reg.name(),
                    reg.offset() + (hi ? 4 : 0));
        }
    }

    private int gpuStatus() {
        int s = csfActive ? GPU_STATUS_ACTIVE : 0;
        if (power.anyActive()) {
            s |= GPU_STATUS_PWR_ACTIVE;
        }
        return s;
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
        power.reset();
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

    // ---- GpuControlPort ---------------------------------------------------------------------------

    @Override
    public boolean l2Ready() {
        return power.l2Ready();
    }

    @Override
    public long shaderReady() {
        return power.shader.ready();
    }

    @Override
    public long tilerReady() {
        return power.tiler.ready();
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
