package dev.gpuemu.kernel.driver;

import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.KernelOops;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/// The driver core (drivers/base/dd.c): device add/delete, driver registration, probe and unbind
/// with the modern ordering, and deferred probing. The sysfs control surface is [Sysfs].
///
/// ## Ordering
/// Probe: devres must be empty (else `EBUSY`, "Resources present before probing"); the driver
/// is recorded, the bus probe runs with a Core view; on failure everything the probe obtained
/// through devres is released LIFO and the device is left unbound.
///
/// Unbind: the driver's unbind callback (Core view), then the driver data is dropped (closed
/// when [AutoCloseable]), then the binding's Bound views end, then devres is released LIFO.
///
/// ## Thread safety
/// Thread-safe. Bus lists are guarded by one core lock; probe and unbind of a device hold that
/// device's lock (never the core lock), so probes of children may add devices.
public final class DriverCore {
    private final Kernel kernel;
    final ReentrantLock lock = new ReentrantLock();
    final Map<String, BusType<?>> buses = new LinkedHashMap<>();
    private final Set<BusDevice> deferred = new LinkedHashSet<>();
    private boolean retryingDeferred;

    public DriverCore(Kernel kernel) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
    }

    public Kernel kernel() {
        return kernel;
    }

    void registerBus(BusType<?> bus) {
        lock.lock();
        try {
            if (buses.putIfAbsent(bus.name(), bus) != null) {
                throw new IllegalStateException("bus already registered: " + bus.name());
            }
        } finally {
            lock.unlock();
        }
    }

    /// The registered buses, in registration order.
    public List<BusType<?>> buses() {
        lock.lock();
        try {
            return new ArrayList<>(buses.values());
        } finally {
            lock.unlock();
        }
    }

    /// The bus with this name.
    public Optional<BusType<?>> bus(String name) {
        lock.lock();
        try {
            return Optional.ofNullable(buses.get(name));
        } finally {
            lock.unlock();
        }
    }

    // ---- device and driver registration -------------------------------------------------------

    <D extends BusDevice> void deviceAdd(BusType<D> bus, D dev) throws KernelException {
        lock.lock();
        try {
            if (bus.devices.containsKey(dev.name())) {
                throw new KernelException(Errno.EEXIST, bus.name() + " device " + dev.name() + " already exists");
            }
            bus.devices.put(dev.name(), dev);
        } finally {
            lock.unlock();
        }
        attach(bus, dev);
    }

    <D extends BusDevice> void deviceDel(BusType<D> bus, D dev) {
        dev.lock.lock();
        try {
            dev.deleted = true;
        } finally {
            dev.lock.unlock();
        }
        releaseDriver(dev);
        lock.lock();
        try {
            bus.devices.remove(dev.name(), dev);
        } finally {
            lock.unlock();
        }
        synchronized (deferred) {
            deferred.remove(dev);
        }
    }

    <D extends BusDevice> void driverRegister(BusType<D> bus, DriverEntry<D> drv) throws KernelException {
        List<D> candidates;
        lock.lock();
        try {
            if (bus.drivers.containsKey(drv.name())) {
                throw new KernelException(Errno.EEXIST, bus.name() + " driver " + drv.name() + " already registered");
            }
            bus.drivers.put(drv.name(), drv);
            candidates = new ArrayList<>(bus.devices.values());
        } finally {
            lock.unlock();
        }
        for (D dev : candidates) {
            if (!dev.isBound() && bus.matches(dev, drv) && probe(dev, drv) == null) {
                retryDeferred();
            }
        }
    }

    <D extends BusDevice> void driverUnregister(BusType<D> bus, String name) throws KernelException {
        List<D> bound = new ArrayList<>();
        lock.lock();
        try {
            if (!bus.drivers.containsKey(name)) {
                throw new KernelException(Errno.ENODEV, bus.name() + " driver " + name + " not registered");
            }
            for (D dev : bus.devices.values()) {
                if (dev.driverName().filter(name::equals).isPresent()) {
                    bound.add(dev);
                }
            }
        } finally {
            lock.unlock();
        }
        for (D dev : bound) {
            releaseDriver(dev);
        }
        lock.lock();
        try {
            bus.drivers.remove(name);
        } finally {
            lock.unlock();
        }
    }

    // ---- probe -------------------------------------------------------------------------------

    /// `__device_attach`: tries each matching driver until one binds or one defers.
    private <D extends BusDevice> void attach(BusType<D> bus, D dev) {
        for (DriverEntry<D> drv : driversOf(bus)) {
            if (!bus.matches(dev, drv)) {
                continue;
            }
            Errno err = probe(dev, drv);
            if (err == null) {
                retryDeferred();
                return;
            }
            if (err == Errno.EPROBE_DEFER || err == Errno.EBUSY) {
                return;
            }
        }
    }

    private <D extends BusDevice> List<DriverEntry<D>> driversOf(BusType<D> bus) {
        lock.lock();
        try {
            return new ArrayList<>(bus.drivers.values());
        } finally {
            lock.unlock();
        }
    }

    /// `really_probe`. Returns null when bound, else the error.
    <D extends BusDevice> Errno probe(D dev, DriverEntry<D> drv) {
        Device<Normal> log = dev.normal();
        dev.lock.lock();
        try {
            if (dev.deleted) {
                return Errno.ENODEV;
            }
            if (dev.driver != null) {
                return Errno.EBUSY;
            }
            dev.devresLock.lock();
            try {
                if (!dev.devres.isEmpty()) {
                    log.warn("Resources present before probing");
                    return Errno.EBUSY;
                }
                dev.devresOpen = true;
            } finally {
                dev.devresLock.unlock();
            }
            Scope binding = new Scope(kernel.oopses(), "binding of " + drv.name() + " to " + dev);
            Scope core = new Scope(kernel.oopses(), "probe callback of " + drv.name() + " for " + dev);
            dev.driver = drv;
            dev.binding = binding;
            Errno err = null;
            Object data = null;
            try {
                data = drv.prober().probe(dev, core, binding);
                if (data == null) {
                    throw kernel.oopses().bug(drv.name() + " probe returned no driver data");
                }
            } catch (KernelException e) {
                err = e.errno();
            } catch (KernelOops e) {
                err = Errno.EIO; // already counted where it was detected
            } catch (RuntimeException e) {
                kernel.oopses().bug(drv.name() + " probe of " + dev.name() + " threw " + e);
                err = Errno.EIO;
            } finally {
                core.end();
            }
            if (err == null) {
                dev.drvdata = data;
                synchronized (deferred) {
                    deferred.remove(dev);
                }
                log.dbg("bound to driver " + drv.name());
                return null;
            }
            binding.end();
            releaseDevres(dev);
            dev.driver = null;
            dev.binding = null;
            switch (err) {
                case EPROBE_DEFER -> {
                    log.dbg("Driver " + drv.name() + " requests probe deferral");
                    synchronized (deferred) {
                        deferred.add(dev);
                    }
                }
                case ENODEV, ENXIO -> log.dbg("probe with driver " + drv.name() + " rejects match " + err.negative());
                default -> kernel.log().warn(drv.name() + ": probe of " + dev.name() + " failed with error " + err.negative());
            }
            return err;
        } finally {
            dev.lock.unlock();
        }
    }

    /// Retries deferred probes after a successful bind (Linux: the deferred probe work).
    void retryDeferred() {
        synchronized (deferred) {
            if (retryingDeferred) {
                return;
            }
            retryingDeferred = true;
        }
        try {
            while (true) {
                List<BusDevice> pending;
                synchronized (deferred) {
                    if (deferred.isEmpty()) {
                        return;
                    }
                    pending = new ArrayList<>(deferred);
                    deferred.clear();
                }
                boolean progress = false;
                for (BusDevice dev : pending) {
                    progress |= reattach(dev);
                }
                if (!progress) {
                    return;
                }
            }
        } finally {
            synchronized (deferred) {
                retryingDeferred = false;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private <D extends BusDevice> boolean reattach(BusDevice dev) {
        BusType<D> bus = (BusType<D>) dev.bus();
        D d = (D) dev;
        if (d.isDeleted() || d.isBound()) {
            return false;
        }
        attach(bus, d);
        return d.isBound();
    }

    /// Devices whose last probe asked for deferral.
    public List<BusDevice> deferredDevices() {
        synchronized (deferred) {
            return new ArrayList<>(deferred);
        }
    }

    // ---- unbind ------------------------------------------------------------------------------

    /// `device_release_driver`: unbind callback, drop driver data, end the binding, release
    /// devres LIFO. Returns whether a driver was unbound.
    @SuppressWarnings("unchecked")
    <D extends BusDevice> boolean releaseDriver(D dev) {
        dev.lock.lock();
        try {
            DriverEntry<D> drv = (DriverEntry<D>) dev.driver;
            if (drv == null) {
                return false;
            }
            Scope binding = dev.binding;
            Object data = dev.drvdata;
            Scope core = new Scope(kernel.oopses(), "unbind callback of " + drv.name() + " for " + dev);
            try {
                drv.remover().remove(dev, core, binding, data);
            } catch (KernelOops e) {
                // counted where detected
            } catch (RuntimeException e) {
                kernel.oopses().bug(drv.name() + " unbind of " + dev.name() + " threw " + e);
            } finally {
                core.end();
            }
            dropDriverData(dev, drv, data);
            binding.end();
            releaseDevres(dev);
            dev.driver = null;
            dev.drvdata = null;
            dev.binding = null;
            dev.normal().dbg("unbound from driver " + drv.name());
            return true;
        } finally {
            dev.lock.unlock();
        }
    }

    private void dropDriverData(BusDevice dev, DriverEntry<?> drv, Object data) {
        if (data instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (KernelOops e) {
                // counted where detected
            } catch (Exception e) {
                kernel.oopses().bug(drv.name() + " driver data drop for " + dev.name() + " threw " + e);
            }
        }
    }

    /// `devres_release_all`: LIFO, each action run without the devres lock; entries added while
    /// it runs are released too. Caller holds the device lock.
    private void releaseDevres(BusDevice dev) {
        while (true) {
            DevresEntry e;
            dev.devresLock.lock();
            try {
                e = dev.devres.poll();
                if (e == null) {
                    dev.devresOpen = false;
                    return;
                }
                if (e.done) {
                    continue;
                }
                e.done = true;
            } finally {
                dev.devresLock.unlock();
            }
            try {
                e.release.run();
            } catch (KernelOops ex) {
                // counted where detected
            } catch (RuntimeException ex) {
                kernel.oopses().bug("devres release " + e.name + " of " + dev + " threw " + ex);
            }
        }
    }

    /// Unbinds whatever driver the device has (used by remove paths and shutdown).
    public boolean unbindAny(BusDevice dev) {
        return releaseDriver(dev);
    }

    /// The device with this name on this bus.
    public Optional<BusDevice> findDevice(String busName, String deviceName) {
        lock.lock();
        try {
            BusType<?> bus = buses.get(busName);
            return bus == null ? Optional.empty() : Optional.ofNullable(bus.devices.get(deviceName));
        } finally {
            lock.unlock();
        }
    }

    /// Tries to bind every unbound device on every bus (`bus_rescan_devices` for all buses).
    public void probeAllUnbound() {
        for (BusType<?> bus : buses()) {
            probeUnbound(bus);
        }
    }

    private <D extends BusDevice> void probeUnbound(BusType<D> bus) {
        for (D dev : bus.devices()) {
            if (!dev.isBound()) {
                attach(bus, dev);
            }
        }
    }

    /// Shutdown: unbinds every device, children before parents (reverse order of addition).
    public void unbindAll() {
        List<BusDevice> all = new ArrayList<>();
        for (BusType<?> bus : buses()) {
            all.addAll(bus.devices());
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            releaseDriver(all.get(i));
        }
    }
}
