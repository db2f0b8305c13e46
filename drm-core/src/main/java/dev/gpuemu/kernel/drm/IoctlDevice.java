package dev.gpuemu.kernel.drm;

import dev.gpuemu.kernel.KernelException;
import java.util.Optional;

/// A DRM device in the `Ioctl` context: it was registered at some point and may be unplugging
/// right now. This is the only context that can open a [RegistrationGuard] (`drm_dev_enter`).
/// Open files and the [Registration] hand it out.
///
/// ## Thread safety
/// Thread-safe; guards are confined to the thread that opened them.
public final class IoctlDevice<D, R extends RegistrationData> extends DrmDevice<D, R> {
    IoctlDevice(DrmDeviceState<D, R, ?> state) {
        super(state);
    }

    /// A body that runs inside a registration guard.
    @FunctionalInterface
    public interface Guarded<D, R extends RegistrationData, X> {
        X apply(RegisteredDevice<D, R> dev) throws KernelException;
    }

    /// Runs `body` inside a [RegistrationGuard] (the default, closure form); empty when the device
    /// is unplugged, in which case `body` does not run. Nestable.
    public <X> Optional<X> withRegistrationGuard(Guarded<D, R, X> body) throws KernelException {
        RegistrationGuard<D, R> g = state().enter();
        if (g == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(body.apply(g.device()));
        } finally {
            g.close();
        }
    }

    /// `drm_dev_enter`: a guard while the device is registered, empty after unplug. The caller
    /// must close it on the same thread, innermost first; prefer [#withRegistrationGuard].
    public Optional<RegistrationGuard<D, R>> registrationGuard() {
        return Optional.ofNullable(state().enter());
    }
}
