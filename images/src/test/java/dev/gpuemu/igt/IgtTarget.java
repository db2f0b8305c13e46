package dev.gpuemu.igt;

import dev.gpuemu.kernel.bus.faux.FauxBus;
import dev.gpuemu.kernel.drivers.nova.core.NovaCoreDriver;
import java.util.function.Supplier;

/// A DRM driver of a shipped image as core_hotunplug sees it: the image that carries it, the bus
/// device the test unbinds or unplugs (`priv->dev_bus_addr`), the driver bound to it (the sysfs
/// `driver` dir), the name `DRM_IOCTL_VERSION` must answer, and the driver's user-level work
/// (exec check, load, spinner).
///
/// nova is reached through its PCI parent: unbinding nova-core removes the auxiliary nova-drm
/// child, and the PCI `remove` attribute is nova-core's device's, as on a real machine.
enum IgtTarget {
    /// vgem on the faux bus: no `remove`, no jobs.
    VGEM("vgem", "faux", FauxBus.DRIVER, "vgem", "vgem", 0, VgemWork::new),
    /// tyr (DRM device `panthor`) on the RK3588's platform bus: no `remove`.
    PANTHOR("rk3588", "platform", "tyr", "fb000000.gpu", "panthor", 0, PanthorWork::new),
    /// nova-drm under nova-core on PCI `0000:01:00.0`: unbind, remove and rescan all apply.
    NOVA("ga102-pc", "pci", NovaCoreDriver.NAME, "0000:01:00.0", "nova", 1, NovaWork::new);

    final String image;
    final String bus;
    final String driver;
    final String device;
    final String drmName;
    /// Child devices the bound driver creates (nova-core: the auxiliary nova-drm device).
    final int children;
    private final Supplier<DriverWork> work;

    IgtTarget(String image, String bus, String driver, String device, String drmName, int children,
               Supplier<DriverWork> work) {
        this.image = image;
        this.bus = bus;
        this.driver = driver;
        this.device = device;
        this.drmName = drmName;
        this.children = children;
        this.work = work;
    }

    /// Whether the device has a sysfs `remove` attribute: only PCI devices do.
    boolean removable() {
        return bus.equals("pci");
    }

    /// A fresh instance of the driver's user-level work.
    DriverWork work() {
        return work.get();
    }

    @Override
    public String toString() {
        return drmName + " (" + image + ", " + bus + ")";
    }
}
