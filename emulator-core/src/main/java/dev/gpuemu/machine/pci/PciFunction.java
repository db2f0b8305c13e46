package dev.gpuemu.machine.pci;

/// What a PCI device model implements to sit on the [PciHost]: it embeds a type-0 configuration
/// header. (QEMU's `PCIDevice` embedded at the start of the device state.)
public interface PciFunction {
    /// The function's configuration space; the same object for the function's whole life.
    PciConfigSpace config();
}
