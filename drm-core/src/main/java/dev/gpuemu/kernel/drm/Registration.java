package dev.gpuemu.kernel.drm;

import java.util.concurrent.atomic.AtomicBoolean;

/// A registered DRM device (Rust `drm::Registration`). Closing it **unplugs** the device:
/// `unplugged` is set, every open [RegistrationGuard] is waited for, the minors leave
/// `/dev/dri`, CPU mappings are zapped, and only then the [RegistrationData] is closed. Open files
/// survive and get `ENODEV` from then on; the device itself lives until its last reference.
///
/// ## Invariants
/// Closed at most once; a second close throws `IllegalStateException`.
///
/// ## Thread safety
/// Thread-safe. Must not be closed from inside a guard of the same device (that would wait for
/// itself; it counts an oops and throws instead).
///
/// ## Lifecycle
/// created by [UnregisteredDevice#register] → closed once (typically when the parent's driver
/// data is dropped at unbind, or by devres).
public final class Registration<D, R extends RegistrationData> implements AutoCloseable {
    private final DrmDeviceState<D, R, ?> state;
    private final AtomicBoolean closed = new AtomicBoolean();

    Registration(DrmDeviceState<D, R, ?> state) {
        this.state = state;
    }

    /// The `Ioctl` view: registered at some point, possibly unplugging.
    public IoctlDevice<D, R> device() {
        return state.ioctl;
    }

    /// The primary node's path, e.g. `/dev/dri/card0`.
    public String primaryNode() {
        return state.primaryMinor().path();
    }

    /// The render node's path, or null without `DRIVER_RENDER`.
    public String renderNode() {
        Minor r = state.renderMinor();
        return r == null ? null : r.path();
    }

    /// Unplugs the device, then frees the registration data and drops the registration's device
    /// reference.
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            throw new IllegalStateException("DRM registration of " + state.describe() + " already closed");
        }
        state.unplug();
        state.put();
    }
}
