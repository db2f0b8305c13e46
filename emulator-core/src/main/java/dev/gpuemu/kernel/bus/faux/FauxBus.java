package dev.gpuemu.kernel.bus.faux;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.BusType;
import dev.gpuemu.kernel.driver.Core;
import dev.gpuemu.kernel.driver.Device;
import dev.gpuemu.kernel.driver.DriverCore;
import dev.gpuemu.kernel.driver.DriverEntry;
import dev.gpuemu.kernel.driver.Scope;

/// The faux bus: software-only devices (vgem in modern kernels), each bound to the bus's single
/// driver `faux_driver`, which calls the device's own probe.
///
/// ## Thread safety
/// Thread-safe.
public final class FauxBus extends BusType<FauxDev> {
    /// Name of the bus's only driver.
    public static final String DRIVER = "faux_driver";

    public FauxBus(DriverCore core) {
        super(core, "faux");
        try {
            registerDriver(new DriverEntry<FauxDev>(DRIVER, dev -> true, FauxBus::probe, FauxBus::unbind));
        } catch (KernelException e) {
            throw new IllegalStateException("faux bus driver registration failed", e);
        }
    }

    @Override
    protected boolean idMatch(FauxDev device, DriverEntry<FauxDev> driver) {
        return true;
    }

    private static Object probe(FauxDev dev, Scope core, Scope binding) throws KernelException {
        return dev.ops.probe(new Device<Core>(dev, core) { });
    }

    @SuppressWarnings("unchecked")
    private static <T> void unbind(FauxDev dev, Scope core, Scope binding, Object data) {
        ((FauxOps<T>) dev.ops).unbind(new Device<Core>(dev, core) { }, (T) data);
    }

    void add(FauxDev dev) throws KernelException {
        addDevice(dev);
    }

    void delete(FauxDev dev) {
        deleteDevice(dev);
    }
}
