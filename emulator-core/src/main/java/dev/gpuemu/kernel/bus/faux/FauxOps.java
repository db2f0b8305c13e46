package dev.gpuemu.kernel.bus.faux;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.Core;
import dev.gpuemu.kernel.driver.Device;

/// Callbacks of a faux device (`struct faux_device_ops`): its probe returns the driver data.
public interface FauxOps<T> {
    T probe(Device<Core> dev) throws KernelException;

    default void unbind(Device<Core> dev, T data) {
    }
}
