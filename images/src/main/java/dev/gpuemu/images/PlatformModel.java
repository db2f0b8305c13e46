package dev.gpuemu.images;

import dev.gpuemu.machine.HwContext;
import dev.gpuemu.machine.bus.SysBusDevice;
import java.util.List;
import java.util.Objects;

/// A platform device model images may name under `platform:`: the MMIO ranges and interrupt
/// outputs it has (the image's `reg` and `interrupts` must match them), its parameters, and how
/// to build it.
///
/// @param name      the `model:` value
/// @param regSizes  size of each MMIO region, in `reg` order
/// @param irqs      number of interrupt outputs
/// @param params    parameters accepted under `params:`
/// @param factory   builds the model for a node
public record PlatformModel(String name, List<Long> regSizes, int irqs, List<ModelParam> params, Factory factory) {
    public PlatformModel {
        Objects.requireNonNull(name, "name");
        regSizes = List.copyOf(regSizes);
        if (irqs < 0) {
            throw new IllegalArgumentException("irqs must be >= 0: " + irqs);
        }
        params = List.copyOf(params);
        Objects.requireNonNull(factory, "factory");
    }

    /// Builds the model.
    @FunctionalInterface
    public interface Factory {
        /// @param hw      the machine's hardware context
        /// @param name    the node's name, `fb000000.gpu`
        /// @param params  the device's parameters
        SysBusDevice create(HwContext hw, String name, DeviceParams params);
    }
}
