package dev.gpuemu.kernel.drm;

import dev.gpuemu.kernel.driver.Bound;
import dev.gpuemu.kernel.driver.Device;
import java.util.function.BiFunction;

/// A DRM device in the `Registered` context: currently registered, with its parent bus device
/// bound. It exists only inside a [RegistrationGuard] and only on the guard's thread; using it
/// anywhere else counts an oops and throws `UseAfterUnbindException`.
///
/// ## Thread safety
/// Confined to the thread of its guard.
public final class RegisteredDevice<D, R extends RegistrationData> extends DrmDevice<D, R> {
    private final RegistrationGuard<D, R> guard;

    RegisteredDevice(RegistrationGuard<D, R> guard) {
        super(null);
        this.guard = guard;
    }

    @Override
    DrmDeviceState<D, R, ?> state() {
        return guard.checkedState("Registered DRM device view");
    }

    /// `registration_data_with`: runs `fn` with the parent's bound view and the driver's
    /// [RegistrationData]; both are valid for the duration of the call.
    public <X> X registrationDataWith(BiFunction<Device<? extends Bound>, R, X> fn) {
        DrmDeviceState<D, R, ?> s = state();
        return fn.apply(s.parentBound, s.regData);
    }

    /// The parent bus device, bound while this view is valid.
    public Device<? extends Bound> parent() {
        return state().parentBound;
    }
}
