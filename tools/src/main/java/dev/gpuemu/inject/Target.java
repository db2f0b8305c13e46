package dev.gpuemu.inject;

import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.BusDevice;
import dev.gpuemu.kernel.driver.BusType;
import dev.gpuemu.kernel.drivers.nova.core.NovaCoreDriver;
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
/// nova is two drivers deep: the target is the PCI device bound to nova-core (driver `NovaCore`,
/// what a developer unbinds or removes), its DRM device lives on the auxiliary child
/// `NovaCore.nova-drm.<id>` bound to nova-drm. The child is found through its parent on every
/// use (its id changes with every parent probe). nova-drm's probe failing does not fail
/// nova-core's (as in Linux: `device_add` of the child ignores its probe result), so after a
/// probe-fail cycle nova-core is bound with an unbound child; [#bindAll] binds the child
/// through the auxiliary bus's sysfs `bind`, as a developer would.
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
        PLANTED,
        /// nova-core on PCI with nova-drm on its auxiliary child: VRAM objects and copy jobs.
        NOVA
    }

    /// nova-drm's auxiliary driver name (the DRM child's driver).
    static final String NOVA_DRM = "nova-drm";

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

    /// The bound device `name` (any bus), if the injector knows its DRM driver. nova's auxiliary
    /// child (`NovaCore.nova-drm.<id>`) names its PCI parent.
    static Optional<Target> find(Kernel kernel, String name) {
        for (BusType<?> b : kernel.driverCore().buses()) {
            for (BusDevice d : b.devices()) {
                if (d.name().equals(name)) {
                    Optional<Target> t = of(kernel, d);
                    if (t.isEmpty() && b.name().equals("auxiliary") && d.parent().isPresent()) {
                        t = of(kernel, d.parent().get()).filter(p -> p.kind == Kind.NOVA);
                    }
                    return t;
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
        } else if (drv.get().equals(NovaCoreDriver.NAME) && d.bus().name().equals("pci")) {
            kind = Kind.NOVA;
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

    /// Whether the target device itself is bound (nova: nova-core, whatever its child does).
    boolean isBound() {
        return node().map(BusDevice::isBound).orElse(false);
    }

    /// The device whose driver registers the DRM device: the target itself, or nova's auxiliary
    /// child (the auxiliary device whose parent is the target).
    Optional<BusDevice> drmDevice() {
        Optional<BusDevice> n = node();
        if (kind != Kind.NOVA || n.isEmpty()) {
            return n;
        }
        BusDevice parent = n.get();
        for (BusType<?> b : kernel.driverCore().buses()) {
            if (!b.name().equals("auxiliary")) {
                continue;
            }
            for (BusDevice d : b.devices()) {
                if (d.parent().filter(p -> p == parent).isPresent()) {
                    return Optional.of(d);
                }
            }
        }
        return Optional.empty();
    }

    /// Whether the whole stack is bound: the device and, for nova, its DRM child.
    boolean isReady() {
        return isBound() && drmDevice().map(BusDevice::isBound).orElse(false);
    }

    /// Binds whatever is unbound: the device, then (nova) an unbound DRM child through the
    /// auxiliary bus's sysfs `bind`. 0 or the first `-errno`.
    int bindAll() {
        if (!isBound()) {
            int rc = bind();
            if (rc != 0) {
                return rc;
            }
        }
        if (kind == Kind.NOVA) {
            Optional<BusDevice> child = drmDevice();
            if (child.isEmpty()) {
                return Errno.ENODEV.negative();
            }
            if (!child.get().isBound()) {
                return kernel.sysfs().bind("auxiliary", NOVA_DRM, child.get().name());
            }
        }
        return 0;
    }

    /// Whether a bind whose DRM registration was made to fail answered as it should: the bind
    /// itself fails, except for nova, where nova-core binds and its DRM child stays unbound.
    boolean registrationFailureSeen(int bindRc) {
        if (kind == Kind.NOVA) {
            return bindRc == 0 && isBound() && !drmDevice().map(BusDevice::isBound).orElse(true);
        }
        return bindRc != 0;
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

    /// The node the load uses (render for panthor and nova, primary for dumb-buffer loads), if
    /// visible.
    Optional<String> loadNode() {
        return nodePath(kind == Kind.PANTHOR || kind == Kind.NOVA);
    }

    /// The render node (`/dev/dri/renderD*`) or the primary node of the device (or of a child of
    /// it: nova's auxiliary device), if visible.
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
            case NOVA -> new NovaSession(proc, kernel.clock(), node, epoch, during, seed, checker);
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
                s.finishJob(rng);
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
