package dev.gpuemu.inject;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.bus.faux.FauxDevice;
import dev.gpuemu.kernel.bus.faux.FauxOps;
import dev.gpuemu.kernel.driver.Bound;
import dev.gpuemu.kernel.driver.Core;
import dev.gpuemu.kernel.driver.Device;
import dev.gpuemu.kernel.driver.DeviceResource;
import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.drm.DriverFeatures;
import dev.gpuemu.kernel.drm.DriverInfo;
import dev.gpuemu.kernel.drm.DrmDevice;
import dev.gpuemu.kernel.drm.DrmDriver;
import dev.gpuemu.kernel.drm.IoctlDevice;
import dev.gpuemu.kernel.drm.Registration;
import dev.gpuemu.kernel.drm.RegistrationData;
import dev.gpuemu.kernel.drm.UnregisteredDevice;
import dev.gpuemu.kernel.drm.gem.DumbGeometry;
import dev.gpuemu.kernel.drm.gem.GemDumb;
import dev.gpuemu.kernel.drm.gem.GemFile;
import dev.gpuemu.kernel.drm.ioctl.IoctlTable;
import dev.gpuemu.kernel.uapi.Errno;
import java.util.concurrent.atomic.AtomicLong;

/// The planted bug: a vgem-like DRM driver (`DRIVER_GEM | DRIVER_RENDER | DRIVER_SYNCOBJ`, dumb
/// buffers) on a faux
/// device (its registration is the faux binding's driver data, closed when the binding ends), whose `dumb_create` first polls a "status register" of its bound-scoped resource (a
/// [DeviceResource], Rust `Devres`) a few times, a simulated microsecond apart.
///
/// `MODE_CREATE_DUMB` is a **core** ioctl: it runs after the dispatcher's unplug point check but
/// outside any `drm_dev_enter` section (kernel-semantics.md §1.3). So:
/// - the **buggy** variant ([#BUGGY], device `planted-bug`) polls through the `Device<Bound>` it
///   stored at probe: when an unbind lands in the poll, the binding's scope has ended and the
///   access counts an oops (the ioctl answers `EIO`);
/// - the **fixed** variant ([#FIXED], device `planted-fixed`) polls inside
///   [IoctlDevice#withRegistrationGuard] with the guard's parent view: unplug waits for the poll,
///   and an unplugged device answers `ENODEV`.
///
/// Test-only in spirit; reachable from the command line as `gpuemu inject unbind --device
/// planted-bug` (or `planted-fixed`) on any image, which adds the faux device after boot.
///
/// ## Thread safety
/// Stateless apart from the poll counter; callbacks run on user threads.
public final class PlantedDriver implements DrmDriver<PlantedDriver.Data, PlantedDriver.Binding, Object> {
    /// Device name of the buggy variant.
    public static final String BUGGY = "planted-bug";
    /// Device name of the fixed variant.
    public static final String FIXED = "planted-fixed";
    /// Polls of the status register per `dumb_create`.
    static final int POLLS = 4;
    /// Simulated time between polls.
    static final long POLL_NS = 1_000L;

    private static final DriverInfo INFO = new DriverInfo(1, 0, 0, "planted", "Planted-bug test driver");

    private final boolean guarded;
    private final AtomicLong polls = new AtomicLong();
    private final IoctlTable<Data, Binding, Object> ioctls = IoctlTable.empty();

    private PlantedDriver(boolean guarded) {
        this.guarded = guarded;
    }

    /// The "hardware": a status register that always reads ready.
    static final class Regs {
        int status() {
            return 1;
        }
    }

    /// Driver data (lives as long as the DRM device). The buggy variant keeps the binding's
    /// bound view here, which outlives the binding: that is the bug.
    public static final class Data {
        private volatile Device<Bound> bound;
        private volatile DeviceResource<Regs> regs;
        private volatile IoctlDevice<Data, Binding> ioctl;
    }

    /// Registration data: the binding's resource.
    public static final class Binding implements RegistrationData {
        private final DeviceResource<Regs> regs;

        Binding(DeviceResource<Regs> regs) {
            this.regs = regs;
        }
    }

    /// Creates faux device `name` ([#BUGGY] or [#FIXED]) with this driver bound to it.
    ///
    /// @throws IllegalArgumentException for another name
    public static FauxDevice create(Kernel kernel, String name) throws KernelException {
        boolean guarded = switch (name) {
            case BUGGY -> false;
            case FIXED -> true;
            default -> throw new IllegalArgumentException("no planted device " + name);
        };
        PlantedDriver driver = new PlantedDriver(guarded);
        return FauxDevice.create(kernel, name, new FauxOps<Registration<Data, Binding>>() {
            @Override
            public Registration<Data, Binding> probe(Device<Core> dev) throws KernelException {
                DeviceResource<Regs> regs = DeviceResource.register(dev, "planted regs", new Regs());
                Data data = new Data();
                data.bound = dev.boundView();
                data.regs = regs;
                var unregistered = UnregisteredDevice.create(dev, driver, data);
                Registration<Data, Binding> reg = unregistered.register(new Binding(regs));
                data.ioctl = reg.device();
                return reg;
            }
        });
    }

    /// Status-register polls done so far (for tests: the poll path ran).
    long polls() {
        return polls.get();
    }

    @Override
    public DriverInfo info() {
        return INFO;
    }

    @Override
    public int features() {
        return DriverFeatures.DRIVER_GEM | DriverFeatures.DRIVER_RENDER | DriverFeatures.DRIVER_SYNCOBJ;
    }

    @Override
    public IoctlTable<Data, Binding, Object> ioctls() {
        return ioctls;
    }

    @Override
    public Object openFile(DrmDevice<Data, Binding> dev) {
        return new Object();
    }

    @Override
    public int dumbCreate(DrmDevice<Data, Binding> dev, GemFile file, DumbGeometry geometry) throws KernelException {
        Data d = dev.data();
        if (guarded) {
            boolean ran = d.ioctl.withRegistrationGuard(reg -> {
                Binding b = reg.registrationDataWith((parent, r) -> r);
                for (int i = 0; i < POLLS; i++) {
                    poll(dev.kernel(), b.regs.access(reg.parent()));
                }
                return Boolean.TRUE;
            }).isPresent();
            if (!ran) {
                throw KernelException.of(Errno.ENODEV);
            }
        } else {
            for (int i = 0; i < POLLS; i++) {
                // BUG: a stored Device<Bound> used outside any section; the binding may end mid-poll.
                poll(dev.kernel(), d.regs.access(d.bound));
            }
        }
        return GemDumb.create(file, geometry);
    }

    private void poll(Kernel kernel, Regs regs) {
        regs.status();
        polls.incrementAndGet();
        kernel.clock().sleep(POLL_NS);
    }
}
