package dev.gpuemu.board;

import dev.gpuemu.machine.HwContext;
import dev.gpuemu.machine.pci.Bdf;
import dev.gpuemu.machine.pci.PciFunction;
import java.util.Objects;

/// A PCI function the board plugs into a slot: where, and how to build the device model.
///
/// @param bdf      slot address
/// @param factory  builds the model from the hardware context; the board wires INTx after attach
public record PciSlot(Bdf bdf, Factory factory) {
    public PciSlot {
        Objects.requireNonNull(bdf, "bdf");
        Objects.requireNonNull(factory, "factory");
    }

    /// Builds a PCI device model.
    @FunctionalInterface
    public interface Factory {
        PciFunction create(HwContext hw);
    }
}
