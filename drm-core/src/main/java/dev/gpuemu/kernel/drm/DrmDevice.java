package dev.gpuemu.kernel.drm;

import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.drm.gem.GemDevice;

/// A DRM device in the `Normal` context (Rust `drm::Device<T>`): a storable reference that
/// guarantees nothing about registration. It gives the driver data (`D`, which may outlive
/// unbind), the driver info, and logging.
///
/// The other contexts are subclasses: [IoctlDevice] and [RegisteredDevice].
///
/// ## Thread safety
/// Thread-safe.
public sealed class DrmDevice<D, R extends RegistrationData> permits IoctlDevice, RegisteredDevice {
    private final DrmDeviceState<D, R, ?> state;

    DrmDevice(DrmDeviceState<D, R, ?> state) {
        this.state = state;
    }

    /// The device state behind this view; a [RegisteredDevice] checks its guard first.
    DrmDeviceState<D, R, ?> state() {
        return state;
    }

    /// The driver data (`T::Data`).
    public final D data() {
        return state().data;
    }

    public final DriverInfo info() {
        return state().driver.info();
    }

    /// The driver's name, e.g. `vgem`.
    public final String name() {
        return state().driver.info().name();
    }

    public final Kernel kernel() {
        return state().kernel;
    }

    /// The device's GEM state (page pool, mmap offsets, counters), for creating objects.
    public final GemDevice gem() {
        return state().gem;
    }

    /// `drm_dev_is_unplugged`: a point check (enter and exit); the caller is not inside a
    /// section afterwards.
    public final boolean isUnplugged() {
        return state().isUnplugged();
    }

    /// The `Normal` view of the same device, for storing.
    public final DrmDevice<D, R> toNormal() {
        return state().normal;
    }

    /// `drm_info`: logs with the `[drm]` prefix.
    public final void info(String message) {
        state().kernel.log().info("[drm] " + message);
    }

    /// `drm_err`.
    public final void err(String message) {
        state().kernel.log().err("[drm] *ERROR* " + message);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + (state != null ? state.describe() : "guarded") + "]";
    }
}
