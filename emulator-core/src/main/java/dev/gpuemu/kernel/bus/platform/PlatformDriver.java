package dev.gpuemu.kernel.bus.platform;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.Core;
import java.util.List;

/// A platform driver: an OF match table (compatible strings), `probe` returning the driver data,
/// and an optional `unbind` callback that runs before the data is dropped.
public interface PlatformDriver<T> {
    String name();

    /// Compatible strings this driver binds to, e.g. `rockchip,rk3588-mali`.
    List<String> ofMatchTable();

    T probe(PlatformDevice<Core> pdev) throws KernelException;

    default void unbind(PlatformDevice<Core> pdev, T data) {
    }
}
