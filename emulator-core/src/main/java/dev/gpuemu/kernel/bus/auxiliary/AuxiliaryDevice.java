package dev.gpuemu.kernel.bus.auxiliary;

import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.Bound;
import dev.gpuemu.kernel.driver.BusDevice;
import dev.gpuemu.kernel.driver.Device;
import dev.gpuemu.kernel.driver.DeviceContext;
import dev.gpuemu.kernel.driver.Normal;
import dev.gpuemu.kernel.driver.Scope;
import java.util.function.Function;

/// An auxiliary device as its driver sees it (`auxiliary::Device<Ctx>`).
///
/// The parent's registration data is reachable only with a live Bound or Core view: the
/// registration unbinds this device before it drops the data, so the proof covers the data too.
///
/// ## Thread safety
/// Thread-safe.
public final class AuxiliaryDevice<C extends DeviceContext> extends Device<C> {
    private final AuxDev dev;
    private final Scope binding;

    AuxiliaryDevice(AuxDev dev, Scope scope, Scope binding) {
        super(dev, scope);
        this.dev = dev;
        this.binding = binding;
    }

    public int id() {
        return dev.id();
    }

    /// The Bound view of this binding.
    public AuxiliaryDevice<Bound> bound() {
        requireBound("bound view");
        return new AuxiliaryDevice<>(dev, binding, binding);
    }

    /// The parent device (a storable Normal reference).
    public Device<Normal> parent() {
        return dev.parent().map(BusDevice::normal).orElseThrow();
    }

    /// `registration_data()`: the parent's data if it is a `type`; `EINVAL` for another type,
    /// `ENOENT` when the registration carries none.
    public <D> D registrationData(Class<D> type) throws KernelException {
        requireBound("registration_data");
        Object d = dev.data();
        if (d == null) {
            throw new KernelException(Errno.ENOENT, dev + " has no registration data");
        }
        if (!type.isInstance(d)) {
            throw new KernelException(Errno.EINVAL, dev + " registration data is " + d.getClass().getSimpleName()
                    + ", not " + type.getSimpleName());
        }
        return type.cast(d);
    }

    /// `registration_data_with()`: closure form of [#registrationData].
    public <D, R> R registrationDataWith(Class<D> type, Function<? super D, ? extends R> body) throws KernelException {
        return body.apply(registrationData(type));
    }
}
