package dev.gpuemu.kernel.bus.pci;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.Core;
import java.util.List;

/// A PCI driver (`pci::Driver`): an ID table, `probe` returning the driver data `T`, and an
/// optional `unbind` callback that runs before the data is dropped.
///
/// The driver data is dropped (closed when [AutoCloseable]) after `unbind` and before devres is
/// released, so its destructor may still use bound resources such as the BAR mapping.
public interface PciDriver<T> {
    String name();

    List<PciDeviceId> idTable();

    T probe(PciDevice<Core> pdev) throws KernelException;

    default void unbind(PciDevice<Core> pdev, T data) {
    }
}
