package dev.gpuemu.kernel.bus.platform;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.BusType;
import dev.gpuemu.kernel.driver.Core;
import dev.gpuemu.kernel.driver.DriverCore;
import dev.gpuemu.kernel.driver.DriverEntry;
import dev.gpuemu.kernel.driver.Scope;
import dev.gpuemu.machine.FirmwareNode;
import java.util.List;

/// The platform bus: devices come from the firmware's device description and match drivers by
/// compatible string. Platform devices have no `remove` attribute (unlike PCI).
///
/// ## Thread safety
/// Thread-safe.
public final class PlatformBus extends BusType<PlatformDev> {

    public PlatformBus(DriverCore core) {
        super(core, "platform");
    }

    @Override
    protected boolean idMatch(PlatformDev device, DriverEntry<PlatformDev> driver) {
        return driver.idMatch().test(device);
    }

    /// Creates a platform device for each firmware node (`of_platform_populate`).
    public void populate(List<FirmwareNode> nodes) throws KernelException {
        for (FirmwareNode n : nodes) {
            addDevice(new PlatformDev(this, n));
        }
    }

    /// Registers a platform driver; binds it to matching devices.
    public <T> void register(PlatformDriver<T> driver) throws KernelException {
        List<String> table = List.copyOf(driver.ofMatchTable());
        registerDriver(new DriverEntry<PlatformDev>(driver.name(),
                dev -> dev.firmwareNode().compatible().stream().anyMatch(table::contains),
                (dev, core, binding) -> driver.probe(new PlatformDevice<Core>(dev, core, binding)),
                (dev, core, binding, data) -> unbind(driver, dev, core, binding, data)));
    }

    @SuppressWarnings("unchecked")
    private static <T> void unbind(PlatformDriver<T> driver, PlatformDev dev, Scope core, Scope binding, Object data) {
        driver.unbind(new PlatformDevice<Core>(dev, core, binding), (T) data);
    }
}
