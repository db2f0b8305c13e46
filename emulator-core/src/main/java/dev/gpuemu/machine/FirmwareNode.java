package dev.gpuemu.machine;

import java.util.List;
import java.util.Objects;

/// A platform device as firmware describes it to the kernel (a device-tree node): name,
/// compatible strings (most specific first), MMIO ranges, interrupt numbers, the clocks it is
/// fed and the power supplies (regulators) it needs.
///
/// This is data about the machine, not a device model: it is how the kernel learns what sits at
/// an address without touching the model.
///
/// @param name        node name, e.g. `fb000000.gpu`
/// @param compatible  compatible strings, most specific first, e.g. `rockchip,rk3588-mali`
/// @param regs        MMIO ranges `(base, size)`
/// @param irqs        interrupt line numbers, in the node's order (e.g. job, mmu, gpu)
/// @param irqNames    names matching `irqs` (may be empty)
/// @param clocks      the node's clocks (`clocks` + `clock-names`), each with its fixed rate
/// @param supplies    names of the regulators the node needs (`mali-supply` -> `mali`)
public record FirmwareNode(String name, List<String> compatible, List<Reg> regs, List<Integer> irqs,
                           List<String> irqNames, List<Clock> clocks, List<String> supplies) {

    public FirmwareNode {
        Objects.requireNonNull(name, "name");
        compatible = List.copyOf(compatible);
        regs = List.copyOf(regs);
        irqs = List.copyOf(irqs);
        irqNames = List.copyOf(irqNames);
        clocks = List.copyOf(clocks);
        supplies = List.copyOf(supplies);
        if (compatible.isEmpty()) {
            throw new IllegalArgumentException(name + ": a node needs at least one compatible string");
        }
        if (!irqNames.isEmpty() && irqNames.size() != irqs.size()) {
            throw new IllegalArgumentException(name + ": irq-names must match interrupts");
        }
        if (clocks.stream().map(Clock::name).distinct().count() != clocks.size()) {
            throw new IllegalArgumentException(name + ": clock names must be unique");
        }
        if (supplies.stream().distinct().count() != supplies.size()) {
            throw new IllegalArgumentException(name + ": supply names must be unique");
        }
    }

    /// A node without clocks or supplies.
    public FirmwareNode(String name, List<String> compatible, List<Reg> regs, List<Integer> irqs, List<String> irqNames) {
        this(name, compatible, regs, irqs, irqNames, List.of(), List.of());
    }

    /// One MMIO range of a node.
    public record Reg(long base, long size) {
        public Reg {
            if (size <= 0 || base < 0) {
                throw new IllegalArgumentException("bad reg base=" + base + " size=" + size);
            }
        }
    }

    /// A clock input of a node: its `clock-names` entry and the fixed rate the board's clock
    /// controller gives it.
    public record Clock(String name, long rateHz) {
        public Clock {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty() || rateHz <= 0) {
                throw new IllegalArgumentException("bad clock " + name + " at " + rateHz + " Hz");
            }
        }
    }
}
