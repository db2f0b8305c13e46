package dev.gpuemu.kernel.bus.auxiliary;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.Core;
import java.util.List;

/// An auxiliary driver: matches devices by `modname.name` (e.g. `NovaCore.nova-drm`).
public interface AuxiliaryDriver<T> {
    String name();

    /// IDs of the form `modname.name`.
    List<String> idTable();

    T probe(AuxiliaryDevice<Core> adev) throws KernelException;

    default void unbind(AuxiliaryDevice<Core> adev, T data) {
    }
}
