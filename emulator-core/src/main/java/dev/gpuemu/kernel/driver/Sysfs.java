package dev.gpuemu.kernel.driver;

import dev.gpuemu.kernel.uapi.Errno;
import java.util.Objects;
import java.util.Optional;

/// The sysfs control surface of the driver core (drivers/base/bus.c): what userspace writes to
/// `/sys/bus/BUS/drivers/DRV/{bind,unbind}` and `/sys/bus/BUS/devices/DEV/driver_override`.
/// Every operation answers 0 or a negative errno, as the write(2) on the attribute would.
///
/// ## Thread safety
/// Thread-safe; operations on one device serialise on its device lock.
public final class Sysfs {
    private final DriverCore core;

    public Sysfs(DriverCore core) {
        this.core = Objects.requireNonNull(core, "core");
    }

    /// `/sys/bus/BUS/drivers/DRV/bind` written with a device name. Returns 0 or a negative errno:
    /// unknown bus/driver/device or no match `-ENODEV`, already bound `-EBUSY`, deferral
    /// `-EAGAIN`, other probe errors as returned.
    public int bind(String busName, String driverName, String deviceName) {
        return bindTyped(busName, driverName, deviceName);
    }

    @SuppressWarnings("unchecked")
    private <D extends BusDevice> int bindTyped(String busName, String driverName, String deviceName) {
        BusType<D> bus;
        DriverEntry<D> drv;
        D dev;
        core.lock.lock();
        try {
            bus = (BusType<D>) core.buses.get(busName);
            if (bus == null) {
                return Errno.ENODEV.negative();
            }
            drv = bus.drivers.get(driverName);
            dev = bus.devices.get(deviceName);
        } finally {
            core.lock.unlock();
        }
        if (drv == null || dev == null || !bus.matches(dev, drv)) {
            return Errno.ENODEV.negative();
        }
        Errno err = core.probe(dev, drv);
        if (err == null) {
            core.retryDeferred();
            return 0;
        }
        return err == Errno.EPROBE_DEFER ? Errno.EAGAIN.negative() : err.negative();
    }

    /// `/sys/bus/BUS/drivers/DRV/unbind` written with a device name: `-ENODEV` unless the device
    /// is bound to that driver.
    public int unbind(String busName, String driverName, String deviceName) {
        Optional<BusDevice> dev = core.findDevice(busName, deviceName);
        if (dev.isEmpty() || dev.get().driverName().filter(driverName::equals).isEmpty()) {
            return Errno.ENODEV.negative();
        }
        return core.releaseDriver(dev.get()) ? 0 : Errno.ENODEV.negative();
    }

    /// `/sys/bus/BUS/devices/DEV/driver_override`: a driver name restricts matching to that
    /// driver; an empty (or newline-only) value clears it. Does not bind or unbind anything.
    public int setDriverOverride(String busName, String deviceName, String value) {
        Optional<BusDevice> dev = core.findDevice(busName, deviceName);
        if (dev.isEmpty()) {
            return Errno.ENODEV.negative();
        }
        String v = value.strip();
        dev.get().setDriverOverride(v.isEmpty() ? null : v);
        return 0;
    }
}
