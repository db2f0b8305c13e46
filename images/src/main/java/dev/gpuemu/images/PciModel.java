package dev.gpuemu.images;

import dev.gpuemu.machine.HwContext;
import dev.gpuemu.machine.pci.PciFunction;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/// A PCI device model images may name under `pci:`: what an image may check it against
/// (vendor/device ID, BAR sizes), the parameters it takes, and how to build it.
///
/// @param name      the `model:` value
/// @param vendorId  PCI vendor ID the model reports
/// @param deviceId  PCI device ID the model reports
/// @param barSizes  BAR index → size in bytes, for every BAR the model implements
/// @param params    parameters accepted under `params:`
/// @param factory   builds the model for a slot
public record PciModel(String name, int vendorId, int deviceId, Map<Integer, Long> barSizes, List<ModelParam> params,
                       Factory factory) {
    public PciModel {
        Objects.requireNonNull(name, "name");
        barSizes = Map.copyOf(new TreeMap<>(barSizes));
        params = List.copyOf(params);
        Objects.requireNonNull(factory, "factory");
    }

    /// Builds the model.
    @FunctionalInterface
    public interface Factory {
        /// @param hw      the machine's hardware context
        /// @param name    the slot's name, `0000:00:04.0`
        /// @param params  the device's parameters
        PciFunction create(HwContext hw, String name, DeviceParams params);
    }
}
