package dev.gpuemu.kernel.driver;

import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.sync.Revocable;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/// A value owned by a binding (Rust `Devres<T>`): revoked, and dropped, when the binding ends.
///
/// Two ways in:
/// - [#access] with a `Device<Bound>` of the same device: no read section is needed because a
///   live bound view proves the binding, and so the value, still exists. A different device is
///   `EINVAL`.
/// - [#tryAccessWith] from any context: an SRCU read section; empty after revocation.
///
/// ## Invariants
/// After the binding's devres release ran, no accessor holds the value and it was closed once
/// (when [AutoCloseable]).
///
/// ## Thread safety
/// Thread-safe.
///
/// ## Lifecycle
/// registered (bound) → revoked at unbind (devres release, LIFO with the other actions).
public final class DeviceResource<T> {
    private final BusDevice owner;
    private final Revocable<T> value;
    private final T raw;

    private DeviceResource(BusDevice owner, Revocable<T> value, T raw) {
        this.owner = owner;
        this.value = value;
        this.raw = raw;
    }

    /// Registers `value` on the binding of `dev`.
    public static <T> DeviceResource<T> register(Device<? extends Bound> dev, String name, T value) {
        Objects.requireNonNull(value, "value");
        Revocable<T> r = new Revocable<>(dev.kernel().rcu(), value);
        DeviceResource<T> res = new DeviceResource<>(dev.node(), r, value);
        Devres.add(dev, name, r::revoke);
        return res;
    }

    /// Zero-cost access with a bound view as proof; `EINVAL` for another device.
    public T access(Device<? extends Bound> dev) throws KernelException {
        if (dev.node() != owner) {
            throw new KernelException(Errno.EINVAL, "device resource of " + owner + " accessed with " + dev.node());
        }
        dev.checkProof("device resource access");
        return raw;
    }

    /// Runs `body` inside a read section while the value is available.
    public <R> Optional<R> tryAccessWith(Function<? super T, ? extends R> body) {
        return value.tryAccessWith(body);
    }

    /// Whether the value is still available (a point check).
    public boolean isAvailable() {
        return value.isAvailable();
    }
}
