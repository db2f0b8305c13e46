package dev.gpuemu.machine;

import java.util.List;
import java.util.Objects;

/// A platform device as firmware describes it to the kernel (a device-tree node): name,
/// compatible strings (most specific first), MMIO ranges and interrupt numbers.
///
/// This is data about the machine, not a device model: it is how the kernel learns what sits at
/// an address without touching the model.
///
/// @param name        node name, e.g. `fb000000.gpu`
/// @param compatible  compatible strings, most specific first, e.g. `rockchip,rk3588-mali`
/// @param regs        MMIO ranges `(base, size)`
/// @param irqs        interrupt line numbers, in the node's order (e.g. job, mmu, gpu)
/// @param irqNames    names matching `irqs` (may be empty)
public record FirmwareNode(String name, List<String> compatible, List<Reg> regs, List<Integer> irqs,
                           List<String> irqNames) {

    public FirmwareNode {
        Objects.requireNonNull(name, "name");
        compatible = List.copyOf(compatible);
        regs = List.copyOf(regs);
        irqs = List.copyOf(irqs);
        irqNames = List.copyOf(irqNames);
        if (compatible.isEmpty()) {
            throw new IllegalArgumentException(name + ": a node needs at least one compatible string");
        }
        if (!irqNames.isEmpty() && irqNames.size() != irqs.size()) {
            throw new IllegalArgumentException(name + ": irq-names must match interrupts");
        }
    }

    /// One MMIO range of a node.
    public record Reg(long base, long size) {
        public Reg {
            if (size <= 0 || base < 0) {
                throw new IllegalArgumentException("bad reg base=" + base + " size=" + size);
            }
        }
    }
}
