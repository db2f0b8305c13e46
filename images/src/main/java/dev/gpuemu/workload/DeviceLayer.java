package dev.gpuemu.workload;

import dev.gpuemu.kernel.io.IoResources;
import dev.gpuemu.machine.MachineInterface;
import dev.gpuemu.machine.bus.MmioMapping;
import dev.gpuemu.machine.irq.InterruptController;
import dev.gpuemu.machine.time.SimClock;
import java.util.ArrayList;
import java.util.List;

/// The device layer, like QEMU's qtest: bus reads and writes, the simulated clock and the
/// interrupt lines, from outside the kernel.
///
/// A region is named (1) by its `/proc/iomem` claim (the name a driver gave `iomap`, such as
/// `edu/bar0`), (2) by the device model's region name on the MMIO bus (`edu-bar0`), or (3) by a
/// physical address. Accesses go through the machine's MMIO bus like a CPU's: a bad size or an
/// unassigned address is a counted guest error and reads answer all ones, never a failure.
///
/// ## Thread safety
/// Stateless beyond the machine's own thread-safe parts.
final class DeviceLayer {
    private final Interpreter run;
    private final MachineInterface hw;
    private final IoResources iomem;

    DeviceLayer(Interpreter run, MachineInterface hw, IoResources iomem) {
        this.run = run;
        this.hw = hw;
        this.iomem = iomem;
    }

    void mmio(Stmt.Mmio s, Frame f) {
        long offset = run.eval(s.offset(), f);
        long addr = base(s) + offset;
        if (s.write()) {
            hw.mmio().write(addr, s.size(), run.eval(s.value(), f));
        } else {
            f.set(s.into(), hw.mmio().read(addr, s.size()));
        }
    }

    private long base(Stmt.Mmio s) {
        String name = s.region();
        if (Numbers.looksNumeric(name)) {
            try {
                return Numbers.parse(name, s.pos());
            } catch (ScriptException e) {
                throw new CheckFailed(s.pos(), e.reason());
            }
        }
        for (IoResources.Claim c : iomem.claims()) {
            if (c.owner().equals(name)) {
                return c.base();
            }
        }
        List<String> known = new ArrayList<>();
        iomem.claims().forEach(c -> known.add(c.owner()));
        for (MmioMapping m : hw.mmio().mappings()) {
            if (m.region().name().equals(name)) {
                return m.base();
            }
            known.add(m.region().name());
        }
        throw new CheckFailed(s.pos(), "no MMIO region '" + name + "' (now: " + (known.isEmpty() ? "none" : String.join(", ", known)) + ")");
    }

    void step(Stmt.ClockStep s, Frame f) {
        long ns = run.eval(s.ns(), f);
        if (ns < 0) {
            throw new CheckFailed(s.pos(), "clock step: negative duration " + ns);
        }
        hw.clock().advance(ns);
    }

    void set(Stmt.ClockSet s, Frame f) {
        long to = run.eval(s.ns(), f);
        long now = hw.clock().nowNs();
        if (to < now) {
            throw new CheckFailed(s.pos(), "clock set: " + to + " ns is in the past (now " + now + " ns)");
        }
        hw.clock().advance(to - now);
    }

    void irqExpect(Stmt.IrqExpect s, Frame f) {
        int line = line(s.line(), f);
        InterruptController ic = hw.interrupts();
        boolean want = s.high();
        boolean ok;
        if (s.within() == null) {
            ok = ic.level(line) == want;
        } else {
            SimClock clock = hw.clock();
            ok = clock.await(() -> ic.level(line) == want, run.eval(s.within(), f));
        }
        if (!ok) {
            throw new CheckFailed(s.pos(), "irq " + line + " is " + (want ? "low" : "high") + ", expected "
                    + (want ? "high" : "low") + (s.within() == null ? "" : " within " + run.eval(s.within(), f) + " ns"));
        }
        run.pass();
    }

    void irqMask(Stmt.IrqMask s, Frame f) {
        int line = line(s.line(), f);
        if (s.mask()) {
            hw.interrupts().mask(line);
        } else {
            hw.interrupts().unmask(line);
        }
    }

    void irqCount(Stmt.IrqCount s, Frame f) {
        f.set(s.into(), hw.interrupts().deliveries(line(s.line(), f)));
    }

    private int line(Operand o, Frame f) {
        long n = run.eval(o, f);
        if (n < 0 || n >= hw.interrupts().lines()) {
            throw new CheckFailed(o.pos(), "no irq line " + n + " (0.." + (hw.interrupts().lines() - 1) + ")");
        }
        return (int) n;
    }
}
