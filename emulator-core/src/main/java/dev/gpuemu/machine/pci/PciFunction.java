package dev.gpuemu.machine.pci;

import dev.gpuemu.machine.irq.IrqLine;

/// What a PCI device model implements to sit on the [PciHost]: it embeds a type-0 configuration
/// header. (QEMU's `PCIDevice` embedded at the start of the device state.)
public interface PciFunction {
    /// The function's configuration space; the same object for the function's whole life.
    PciConfigSpace config();

    /// Wires the function's INTx output to the interrupt controller line the board routed it to
    /// (after attach, when the swizzle is known). Functions without interrupts ignore it.
    default void connectIntx(IrqLine line) {
    }
}
