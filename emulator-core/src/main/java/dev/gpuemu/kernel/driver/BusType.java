package dev.gpuemu.kernel.driver;

import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.KernelException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/// A bus type (`struct bus_type`): its devices, its drivers, and how the two match.
///
/// Subclasses implement [#idMatch] from their ID tables; `driver_override`, when set, replaces
/// ID matching as in Linux. Adding devices and registering drivers triggers probing through
/// the [DriverCore].
///
/// ## Thread safety
/// The device and driver maps are guarded by the driver core's lock.
public abstract class BusType<D extends BusDevice> {
    private final DriverCore core;
    private final String name;
    final Map<String, D> devices = new LinkedHashMap<>();
    final Map<String, DriverEntry<D>> drivers = new LinkedHashMap<>();

    protected BusType(DriverCore core, String name) {
        this.core = Objects.requireNonNull(core, "core");
        this.name = Objects.requireNonNull(name, "name");
        core.registerBus(this);
    }

    /// The bus name, e.g. `pci`.
    public final String name() {
        return name;
    }

    public final Kernel kernel() {
        return core.kernel();
    }

    public final DriverCore core() {
        return core;
    }

    /// Whether the driver's ID table matches the device (without driver_override).
    protected abstract boolean idMatch(D device, DriverEntry<D> driver);

    /// `driver_match_device`: driver_override first, then the ID table.
    final boolean matches(D device, DriverEntry<D> driver) {
        Optional<String> override = device.driverOverride();
        if (override.isPresent()) {
            return override.get().equals(driver.name());
        }
        return idMatch(device, driver);
    }

    /// `device_add`: makes the device visible and tries to bind a driver.
    protected final void addDevice(D device) throws KernelException {
        core.deviceAdd(this, device);
    }

    /// `device_del`: unbinds the device and removes it from the bus.
    protected final void deleteDevice(D device) {
        core.deviceDel(this, device);
    }

    /// `driver_register`: adds the driver and binds it to matching unbound devices.
    protected final void registerDriver(DriverEntry<D> driver) throws KernelException {
        core.driverRegister(this, driver);
    }

    /// `driver_unregister`: unbinds the driver from every device and removes it.
    public final void unregisterDriver(String driverName) throws KernelException {
        core.driverUnregister(this, driverName);
    }

    /// Devices currently on the bus, in the order they were added.
    public final List<D> devices() {
        core.lock.lock();
        try {
            return new ArrayList<>(devices.values());
        } finally {
            core.lock.unlock();
        }
    }

    /// The device with this name, if present.
    public final Optional<D> device(String deviceName) {
        core.lock.lock();
        try {
            return Optional.ofNullable(devices.get(deviceName));
        } finally {
            core.lock.unlock();
        }
    }

    /// Names of the registered drivers, in registration order.
    public final List<String> driverNames() {
        core.lock.lock();
        try {
            return new ArrayList<>(drivers.keySet());
        } finally {
            core.lock.unlock();
        }
    }
}
