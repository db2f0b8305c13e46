package dev.gpuemu.hw.mali;

import static dev.gpuemu.regs.mali.MaliRegs.GPU_IRQ_POWER_CHANGED_ALL;
import static dev.gpuemu.regs.mali.MaliRegs.GPU_IRQ_POWER_CHANGED_SINGLE;

import dev.gpuemu.machine.GuestErrors;
import dev.gpuemu.machine.GuestErrors.Kind;
import dev.gpuemu.machine.time.ClockDomain;
import dev.gpuemu.machine.time.SimClock;
import dev.gpuemu.regs.mali.MaliReg;
import java.util.concurrent.locks.ReentrantLock;

/// The GPU's power controller: the shader, tiler and L2 [PowerDomain]s, their `PWRON`/`PWROFF`
/// commands with modelled delays ([MaliTimings]), the `POWER_CHANGED_*` interrupts, and the
/// L2-powered time behind `CYCLE_COUNT`.
///
/// Shader cores and tilers hang off the L2: as on hardware, requesting them while the L2 is off
/// powers the L2 up implicitly first; their own transition ends [MaliTimings#CORE_POWER_NS] after
/// the L2 is ready. `L2_PWROFF` while a shader core or tiler is on or rising is refused (counted).
///
/// ## Thread safety
/// Guarded by the device lock (MMIO handlers hold it; completion events take it).
final class PowerController {
    private final String source;
    private final SimClock clock;
    private final ClockDomain gpuClock;
    private final GuestErrors errors;
    private final ReentrantLock lock;
    private final IrqBlock gpuIrq;
    final PowerDomain shader;
    final PowerDomain tiler;
    final PowerDomain l2;
    private int generation;          // bumped by reset; older completion events do nothing
    private long l2UpAtNs;           // when the L2's pending power-on completes
    private long l2OnSinceNs = -1;   // start of the current L2-powered interval, or -1
    private long l2OnAccumNs;        // L2-powered time before that interval

    PowerController(String source, MaliConfig config, SimClock clock, ClockDomain gpuClock, GuestErrors errors,
                    ReentrantLock lock, IrqBlock gpuIrq) {
        this.source = source;
        this.clock = clock;
        this.gpuClock = gpuClock;
        this.errors = errors;
        this.lock = lock;
        this.gpuIrq = gpuIrq;
        this.shader = new PowerDomain("shader", config.shaderPresent());
        this.tiler = new PowerDomain("tiler", MaliReg.TILER_PRESENT.resetValue());
        this.l2 = new PowerDomain("l2", MaliReg.L2_PRESENT.resetValue());
    }

    /// A write of `wide` (one half, already shifted into place) to a `*_PWRON`/`*_PWROFF` register.
    void write(MaliReg reg, long wide) {
        switch (reg) {
            case SHADER_PWRON -> coreOn(shader, wide);
            case TILER_PWRON -> coreOn(tiler, wide);
            case L2_PWRON -> powerOn(l2, wide, MaliTimings.L2_POWER_NS);
            case SHADER_PWROFF -> powerOff(shader, wide, MaliTimings.CORE_POWER_NS);
            case TILER_PWROFF -> powerOff(tiler, wide, MaliTimings.CORE_POWER_NS);
            case L2_PWROFF -> l2Off(wide);
            default -> throw new IllegalArgumentException("not a power command register: " + reg);
        }
    }

    /// Whether any domain is on or in transition (`GPU_STATUS.PWR_ACTIVE`).
    boolean anyActive() {
        return (l2.ready() | l2.trans() | shader.ready() | shader.trans() | tiler.ready() | tiler.trans()) != 0;
    }

    /// Whether every L2 slice is powered and none is moving.
    boolean l2Ready() {
        return l2.ready() == l2.present && l2.trans() == 0;
    }

    /// Completed GPU cycles while the L2 was powered, since the last reset.
    long cycleCount() {
        long ns = l2OnAccumNs + (l2OnSinceNs >= 0 ? clock.nowNs() - l2OnSinceNs : 0);
        return gpuClock.nsToCycles(ns);
    }

    /// Everything off at once, pending transitions dropped, the cycle counter cleared.
    void reset() {
        generation++;
        shader.reset();
        tiler.reset();
        l2.reset();
        l2OnSinceNs = -1;
        l2OnAccumNs = 0;
    }

    private void coreOn(PowerDomain d, long mask) {
        reportAbsent(d, mask);
        long batch = d.requestOn(mask);
        if (batch == 0) {
            return;
        }
        if ((l2.onOrRising() & l2.present) != l2.present) {
            powerOn(l2, l2.present, MaliTimings.L2_POWER_NS);
        }
        long l2Wait = l2.trans() != 0 ? Math.max(0, l2UpAtNs - clock.nowNs()) : 0;
        schedule(d, batch, true, l2Wait + MaliTimings.CORE_POWER_NS);
    }

    private void powerOn(PowerDomain d, long mask, long delayNs) {
        reportAbsent(d, mask);
        long batch = d.requestOn(mask);
        if (batch != 0) {
            if (d == l2) {
                l2UpAtNs = clock.nowNs() + delayNs;
            }
            schedule(d, batch, true, delayNs);
        }
    }

    private void powerOff(PowerDomain d, long mask, long delayNs) {
        reportAbsent(d, mask);
        long batch = d.requestOff(mask);
        if (batch != 0) {
            schedule(d, batch, false, delayNs);
        }
    }

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

    private void schedule(PowerDomain d, long batch, boolean on, long delayNs) {
        int gen = generation;
        clock.schedule(delayNs, () -> finish(gen, d, batch, on));
    }

    private void finish(int gen, PowerDomain d, long batch, boolean on) {
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
}
