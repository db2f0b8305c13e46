package dev.gpuemu.kernel.bus.auxiliary;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.BusType;
import dev.gpuemu.kernel.driver.Core;
import dev.gpuemu.kernel.driver.DriverCore;
import dev.gpuemu.kernel.driver.DriverEntry;
import dev.gpuemu.kernel.driver.Scope;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/// The auxiliary bus: devices created by parent drivers through [AuxiliaryRegistration],
/// matched by `modname.name`.
///
/// ## Thread safety
/// Thread-safe.
public final class AuxiliaryBus extends BusType<AuxDev> {
    private final AtomicInteger nextId = new AtomicInteger();

    public AuxiliaryBus(DriverCore core) {
        super(core, "auxiliary");
    }

    @Override
    protected boolean idMatch(AuxDev device, DriverEntry<AuxDev> driver) {
        return driver.idMatch().test(device);
    }

    /// Registers an auxiliary driver; binds it to matching devices.
    public <T> void register(AuxiliaryDriver<T> driver) throws KernelException {
        List<String> ids = List.copyOf(driver.idTable());
        registerDriver(new DriverEntry<AuxDev>(driver.name(),
                dev -> ids.contains(dev.matchId()),
                (dev, core, binding) -> driver.probe(new AuxiliaryDevice<Core>(dev, core, binding)),
                (dev, core, binding, data) -> unbind(driver, dev, core, binding, data)));
    }

    @SuppressWarnings("unchecked")
    private static <T> void unbind(AuxiliaryDriver<T> driver, AuxDev dev, Scope core, Scope binding, Object data) {
        driver.unbind(new AuxiliaryDevice<Core>(dev, core, binding), (T) data);
    }

    /// A fresh device id (nova-core allocates ids from a global counter).
    public int allocateId() {
        return nextId.getAndIncrement();
    }

    void add(AuxDev dev) throws KernelException {
        addDevice(dev);
    }

    void delete(AuxDev dev) {
        deleteDevice(dev);
    }
}
