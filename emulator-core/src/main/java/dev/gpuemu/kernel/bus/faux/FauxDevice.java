package dev.gpuemu.kernel.bus.faux;

import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.Core;
import dev.gpuemu.kernel.driver.Device;
import dev.gpuemu.kernel.driver.Normal;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/// A faux device created by kernel code (`faux_device_create`); closing it destroys the device.
///
/// ## Lifecycle
/// created and probed → closed once (unbind, then delete); a second close throws.
public final class FauxDevice implements AutoCloseable {
    private final FauxBus bus;
    private final FauxDev dev;
    private final AtomicBoolean closed = new AtomicBoolean();

    private FauxDevice(FauxBus bus, FauxDev dev) {
        this.bus = bus;
        this.dev = dev;
    }

    /// Creates the device and probes it. When the probe fails the device is deleted again and the
    /// probe's error is thrown (Linux returns NULL).
    public static <T> FauxDevice create(Kernel kernel, String name, FauxOps<T> ops) throws KernelException {
        FauxBus bus = kernel.fauxBus();
        // The driver core turns a failed probe into "not bound"; keep the probe's own error so
        // the caller gets it (a probe that oopsed or threw unchecked reports ENODEV).
        AtomicReference<KernelException> probeError = new AtomicReference<>();
        FauxDev dev = new FauxDev(bus, name, null, new FauxOps<T>() {
            @Override
            public T probe(Device<Core> d) throws KernelException {
                try {
                    return ops.probe(d);
                } catch (KernelException e) {
                    probeError.set(e);
                    throw e;
                }
            }

            @Override
            public void unbind(Device<Core> d, T data) {
                ops.unbind(d, data);
            }
        });
        bus.add(dev);
        if (!dev.isBound()) {
            bus.delete(dev);
            KernelException e = probeError.get();
            throw e != null ? e : new KernelException(Errno.ENODEV, "faux device " + name + " failed to probe");
        }
        return new FauxDevice(bus, dev);
    }

    public Device<Normal> device() {
        return dev.normal();
    }

    /// `faux_device_destroy`.
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            throw new IllegalStateException("faux device " + dev.name() + " already destroyed");
        }
        bus.delete(dev);
    }
}
