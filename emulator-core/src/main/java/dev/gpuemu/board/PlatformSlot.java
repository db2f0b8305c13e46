package dev.gpuemu.board;

import dev.gpuemu.machine.FirmwareNode;
import dev.gpuemu.machine.HwContext;
import dev.gpuemu.machine.bus.SysBusDevice;
import java.util.Objects;

/// A platform device the board wires up: its firmware description (what the kernel sees) and how
/// to build the device model behind it (what answers at those addresses).
///
/// @param node     the device-tree node; its `reg` ranges are where the model's regions are mapped
///                 and its `interrupts` the controller lines its outputs drive
/// @param factory  builds the model from the hardware context
public record PlatformSlot(FirmwareNode node, Factory factory) {
    public PlatformSlot {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(factory, "factory");
    }

    /// Builds a platform device model.
    @FunctionalInterface
    public interface Factory {
        SysBusDevice create(HwContext hw);
    }
}
