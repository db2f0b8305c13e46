package dev.gpuemu.kernel.drm;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.Bound;
import dev.gpuemu.kernel.driver.Device;
import dev.gpuemu.kernel.driver.Devres;
import dev.gpuemu.kernel.uapi.Errno;
import java.util.Objects;

/// A DRM device that is allocated but not registered (Rust `UnregisteredDevice<T>`): the driver
/// sets it up, then consumes it exactly once into a [Registration] ([#register] or the
/// devres-owned [#registerDevres]), or drops it with [#close].
///
/// ## Invariants
/// Single use: after `register`, `registerDevres` or `close`, every method throws
/// `IllegalStateException`.
///
/// ## Thread safety
/// Confined to the creating thread (Rust: `NotThreadSafe`); use from another thread throws.
///
/// ## Lifecycle
/// created (bound parent) → consumed once.
public final class UnregisteredDevice<D, R extends RegistrationData, F> implements AutoCloseable {
    private final Thread owner = Thread.currentThread();
    private final DrmDeviceState<D, R, F> state;
    private final Device<? extends Bound> parentView;
    private boolean consumed;

    private UnregisteredDevice(DrmDeviceState<D, R, F> state, Device<? extends Bound> parentView) {
        this.state = state;
        this.parentView = parentView;
    }

    /// `drm_dev_alloc` for `driver` with driver data `data` under the bound `parent`.
    public static <D, R extends RegistrationData, F> UnregisteredDevice<D, R, F> create(
            Device<? extends Bound> parent, DrmDriver<D, R, F> driver, D data) {
        Objects.requireNonNull(driver, "driver");
        parent.checkProof("drm device allocation");
        DrmCore core = DrmCore.of(parent.kernel());
        return new UnregisteredDevice<>(new DrmDeviceState<>(core, driver, data, parent.node()), parent.boundView());
    }

    /// The `Normal` view, e.g. to create objects before registration.
    public DrmDevice<D, R> device() {
        check();
        return state.normal;
    }

    /// `drm_dev_register`: the registration owns `data` from here on (also on failure, when it is
    /// closed before this throws). The caller owns the returned [Registration] and must close it
    /// before its parent's binding ends (store it in the parent's driver data).
    public Registration<D, R> register(R data) throws KernelException {
        consume();
        Objects.requireNonNull(data, "data");
        try {
            parentView.checkProof("drm_dev_register");
            state.register(data, parentView);
        } catch (KernelException | RuntimeException e) {
            data.close();
            state.put();
            throw e;
        }
        return new Registration<>(state);
    }

    /// `Registration::new_foreign_owned`: registers and hands the registration to the devres of
    /// `parent` (which must be this device's parent, else `EINVAL`); it is closed, i.e. the device
    /// unplugged, when the parent unbinds, in devres order.
    public void registerDevres(Device<? extends Bound> parent, R data) throws KernelException {
        check();
        if (parent.node() != state.parent) {
            consume();
            data.close();
            state.put();
            throw new KernelException(Errno.EINVAL, "drm device parent " + state.parent + " is not " + parent.node());
        }
        Registration<D, R> reg = register(data);
        Devres.add(parent, "drm registration " + state.driver.info().name(), reg::close);
    }

    /// Drops the device without registering it (`drm_dev_put`).
    @Override
    public void close() {
        consume();
        state.unplugged = true;
        state.put();
    }

    private void consume() {
        check();
        consumed = true;
    }

    private void check() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("UnregisteredDevice used off its creating thread");
        }
        if (consumed) {
            throw new IllegalStateException("UnregisteredDevice already consumed");
        }
    }
}
