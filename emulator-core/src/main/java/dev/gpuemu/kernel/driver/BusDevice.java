package dev.gpuemu.kernel.driver;

import dev.gpuemu.kernel.Kernel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/// The kernel's `struct device`: identity, bus, parent, and the driver core's per-device state
/// (bound driver, driver data, devres stack, driver_override, DMA mask).
///
/// Bus implementations subclass it (`PciDev`, `PlatformDev`, ...) and create the typed views
/// drivers see. Drivers never hold a `BusDevice`; they get [Device] views whose context says
/// what is guaranteed.
///
/// ## Invariants
/// `driver != null` exactly while a binding exists (probe in progress or bound), and then
/// `binding` is that binding's live scope. Devres entries exist only during a binding.
///
/// ## Thread safety
/// Binding state is guarded by the device lock (`device_lock`), which the driver core holds
/// across probe and unbind. Identity fields are immutable. `driverOverride` is volatile.
///
/// ## Lifecycle
/// created → added (visible on its bus, may bind) → deleted (unbound, gone from the bus). A
/// deleted device is never added again; a rescan creates a new one.
public abstract class BusDevice {
    private final Kernel kernel;
    private final BusType<?> bus;
    private final String name;
    private final BusDevice parent;
    private final Device<Normal> normalView;

    final ReentrantLock lock = new ReentrantLock();
    /// `dev->devres_lock`: guards [#devres] and [#devresOpen]; never held while an action runs.
    /// Separate from the device lock as in Linux, where unbind holds `device_lock` across
    /// `devres_release_all` (and so across a DRM unplug's SRCU wait) while an ioctl inside a
    /// `drm_dev_enter` section may still `devm_*`-allocate (found by `gpuemu inject`: with one
    /// lock for both, that ioctl and the unbind deadlock).
    final ReentrantLock devresLock = new ReentrantLock();
    final Deque<DevresEntry> devres = new ArrayDeque<>();
    /// Whether a binding accepts devres entries (probe start until its release finished).
    boolean devresOpen;
    DriverEntry<?> driver;
    Object drvdata;
    Scope binding;
    boolean deleted;
    private volatile String driverOverride;
    private volatile int dmaMaskBits = 32;

    protected BusDevice(BusType<?> bus, String name, BusDevice parent) {
        this.bus = Objects.requireNonNull(bus, "bus");
        this.kernel = bus.kernel();
        this.name = Objects.requireNonNull(name, "name");
        this.parent = parent;
        this.normalView = new Device<>(this, null);
    }

    /// The device name on its bus, e.g. `0000:00:04.0` or `fb000000.gpu`.
    public final String name() {
        return name;
    }

    public final BusType<?> bus() {
        return bus;
    }

    public final Kernel kernel() {
        return kernel;
    }

    public final Optional<BusDevice> parent() {
        return Optional.ofNullable(parent);
    }

    /// A counted reference to this device (context [Normal]); safe to store.
    public final Device<Normal> normal() {
        return normalView;
    }

    /// Name of the bound (or probing) driver, if any. A point-in-time answer.
    public final Optional<String> driverName() {
        lock.lock();
        try {
            return driver == null ? Optional.empty() : Optional.of(driver.name());
        } finally {
            lock.unlock();
        }
    }

    /// Whether a driver is bound right now (a point check).
    public final boolean isBound() {
        lock.lock();
        try {
            return driver != null && drvdata != null;
        } finally {
            lock.unlock();
        }
    }

    /// Number of devres entries registered on the current binding and not yet released (0 while
    /// unbound). A point-in-time answer, for leak checks (`gpuemu inject`).
    public final int devresCount() {
        devresLock.lock();
        try {
            return devres.size();
        } finally {
            devresLock.unlock();
        }
    }

    /// Whether the device was deleted from its bus.
    public final boolean isDeleted() {
        lock.lock();
        try {
            return deleted;
        } finally {
            lock.unlock();
        }
    }

    /// The driver_override value, or empty when unset.
    public final Optional<String> driverOverride() {
        return Optional.ofNullable(driverOverride);
    }

    final void setDriverOverride(String value) {
        driverOverride = value;
    }

    /// Number of address bits the device can master (dma_set_mask).
    public final int dmaMaskBits() {
        return dmaMaskBits;
    }

    /// `dma_set_mask`; for the kernel DMA layer (`dev.gpuemu.kernel.io.Dma`).
    public final void setDmaMaskBits(int bits) {
        dmaMaskBits = bits;
    }

    /// The `dev_driver_string()` part of a log prefix: the driver's name while one is bound or
    /// probing, else the bus name.
    final String driverString() {
        DriverEntry<?> d = driver;
        return d != null ? d.name() : bus.name();
    }

    /// One-line description for listings (lsdev), e.g. `[1234:11e8] class 0x00ff00`.
    public abstract String describe();

    @Override
    public final String toString() {
        return bus.name() + ":" + name;
    }
}
