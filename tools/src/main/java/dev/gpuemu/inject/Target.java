package dev.gpuemu.inject;

import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.BusDevice;
import dev.gpuemu.kernel.driver.BusType;
import dev.gpuemu.kernel.drm.DrmCore;
import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.kernel.uapi.Errno;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/// The device under injection: where it sits (bus, driver, name), which DRM driver it carries and
/// therefore which load and health check fit it, and the sysfs-like operations on it. The bus
/// device is looked up by name for every operation: a PCI remove and rescan makes a new one.
///
/// ## Thread safety
/// Immutable; the operations are the driver core's (thread-safe).
final class Target {
    /// The load and health check that fit the device's DRM driver.
    enum Kind {
        /// vgem: GEM/dumb buffers and syncobjs, no jobs.
        VGEM,
        /// tyr (panthor uAPI): also GPU jobs through `GROUP_SUBMIT`.
        PANTHOR,
        /// The planted test drivers ([PlantedDriver]): dumb buffers through the poking path.
        PLANTED
    }

    final Kernel kernel;
    final String bus;
    final String driver;
    final String device;
    final Kind kind;

    private Target(Kernel kernel, String bus, String driver, String device, Kind kind) {
        this.kernel = kernel;
        this.bus = bus;
        this.driver = driver;
        this.device = device;
        this.kind = kind;
    }

    /// The bound device `name` (any bus), if the injector knows its DRM driver.
    static Optional<Target> find(Kernel kernel, String name) {
        for (BusType<?> b : kernel.driverCore().buses()) {
            for (BusDevice d : b.devices()) {
                if (d.name().equals(name)) {
                    return of(kernel, d);
                }
            }
        }
        return Optional.empty();
    }

    /// Every bound device the injector can drive, in bus order (the first is the default).
    static List<Target> all(Kernel kernel) {
        List<Target> out = new ArrayList<>();
        for (BusType<?> b : kernel.driverCore().buses()) {
            for (BusDevice d : b.devices()) {
                of(kernel, d).ifPresent(out::add);
            }
        }
        return out;
    }

    private static Optional<Target> of(Kernel kernel, BusDevice d) {
        Optional<String> drv = d.driverName();
        if (drv.isEmpty()) {
            return Optional.empty();
        }
        Kind kind;
        if (drv.get().equals("tyr")) {
            kind = Kind.PANTHOR;
        } else if (d.name().equals("vgem")) {
            kind = Kind.VGEM;
        } else if (d.name().equals(PlantedDriver.BUGGY) || d.name().equals(PlantedDriver.FIXED)) {
            kind = Kind.PLANTED;
        } else {
            return Optional.empty();
        }
        return Optional.of(new Target(kernel, d.bus().name(), drv.get(), d.name(), kind));
    }

    /// Whether the device can be removed and rescanned (only PCI has `remove`, as in IGT).
    boolean supportsRemove() {
        return bus.equals("pci");
    }

    Optional<BusDevice> node() {
        return kernel.driverCore().findDevice(bus, device);
    }

    boolean isBound() {
        return node().map(BusDevice::isBound).orElse(false);
    }

    int unbind() {
        return kernel.sysfs().unbind(bus, driver, device);
    }

    int bind() {
        return kernel.sysfs().bind(bus, driver, device);
    }

    /// PCI `remove`: 0 or `-errno`.
    int remove() {
        try {
            kernel.pciBus().remove(device);
            return 0;
        } catch (KernelException e) {
            return e.errno().negative();
        }
    }

    /// PCI `rescan`: 0 or `-errno`; the driver binds during the rescan.
    int rescan() {
        try {
            kernel.pciBus().rescan();
            return 0;
        } catch (KernelException e) {
            return e.errno().negative();
        }
    }

    /// The node the load uses (render for panthor, primary for dumb-buffer loads), if visible.
    Optional<String> loadNode() {
        return nodePath(kind == Kind.PANTHOR);
    }

    /// The render node (`/dev/dri/renderD*`) or the primary node of the device, if visible.
    Optional<String> nodePath(boolean render) {
        Optional<BusDevice> n = node();
        if (n.isEmpty()) {
            return Optional.empty();
        }
        return DrmCore.of(kernel).nodesOf(n.get()).stream()
                .filter(p -> p.contains("renderD") == render).findFirst();
    }

    /// Opens a load session on the load node in `proc`.
    ///
    /// @throws dev.gpuemu.user.drm.DrmErrnoException when the node is gone or the device unplugged
    LoadSession open(Process proc, Checker checker, String node, long seed) {
        long epoch = checker.unplugsBegun();
        boolean during = !checker.unplugsSettled(); // ORDERING: after the epoch (see LoadSession#enodevAllowed)
        return switch (kind) {
            case PANTHOR -> new PanthorSession(proc, kernel.clock(), node, epoch, during, seed, checker);
            case VGEM -> new GemSession(proc, kernel.clock(), node, epoch, during, seed, "vgem", 0, checker);
            case PLANTED -> new GemSession(proc, kernel.clock(), node, epoch, during, seed, device, 8, checker);
        };
    }

    /// The health check after a rebind or rescan: open the load node, query, one step of each
    /// kind including a small job; throws with what failed.
    void healthCheck(Checker checker, long seed) {
        String node = loadNode().orElseThrow(() -> new IllegalStateException("no DRM node for " + device));
        Process p = kernel.spawn("inject-health", false);
        try {
            LoadSession s = open(p, checker, node, seed);
            try {
                var rng = new java.util.SplittableRandom(seed);
                for (int i = 0; i < 12; i++) {
                    s.step(rng);
                }
                if (s instanceof PanthorSession ps) {
                    ps.finishJob(rng);
                }
            } finally {
                s.close();
            }
        } finally {
            p.close();
        }
    }

    static String errno(int rc) {
        Errno e = Errno.ofCode(rc);
        return e == null ? "errno " + (-rc) : e.name();
    }

    @Override
    public String toString() {
        return bus + " device " + device + " (driver " + driver + ")";
    }
}
