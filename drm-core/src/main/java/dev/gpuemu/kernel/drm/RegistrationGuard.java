package dev.gpuemu.kernel.drm;

import dev.gpuemu.kernel.driver.Bound;

/// `drm_dev_enter()`..`drm_dev_exit()` as an object (Rust `RegistrationGuard`): while it is open
/// the device cannot finish unplugging, so its [RegisteredDevice] view, the parent's
/// `Device<Bound>` and the [RegistrationData] are valid.
///
/// Guards are pooled per thread (opening one allocates nothing once the thread's pool is warm)
/// and nest. They must be closed on the opening thread, innermost first.
///
/// ## Invariants
/// Open from a successful enter until [#close]; a second close throws; while open, the device's
/// section is held: an SRCU read section of `drm_unplug_srcu` ([GuardStrategy#SRCU], the
/// default), the device's read lock ([GuardStrategy#RWLOCK]) or nothing ([GuardStrategy#NONE],
/// unsafe: unplug does not wait for the guard then).
///
/// ## Thread safety
/// Confined to the opening thread.
public final class RegistrationGuard<D, R extends RegistrationData> implements AutoCloseable {
    private final DrmThread pool;
    private final int depth;
    private final Thread owner;
    private final RegisteredDevice<D, R> view = new RegisteredDevice<>(this);
    private DrmDeviceState<D, R, ?> state;
    /// The SRCU index of the section (0 for the other strategies).
    private int sectionIdx;
    private boolean open;

    RegistrationGuard(DrmThread pool, int depth, Thread owner) {
        this.pool = pool;
        this.depth = depth;
        this.owner = owner;
    }

    void open(DrmDeviceState<D, R, ?> s, int idx) {
        state = s;
        sectionIdx = idx;
        open = true;
    }

    /// The `Registered` view of the device.
    public RegisteredDevice<D, R> device() {
        checkedState("RegistrationGuard.device");
        return view;
    }

    /// The parent bus device's bound view.
    public dev.gpuemu.kernel.driver.Device<? extends Bound> parent() {
        return checkedState("RegistrationGuard.parent").parentBound;
    }

    /// The registration data; valid while the guard is open.
    public R registrationData() {
        return checkedState("RegistrationGuard.registrationData").regData;
    }

    DrmDeviceState<D, R, ?> checkedState(String what) {
        DrmDeviceState<D, R, ?> s = state;
        if (!open || Thread.currentThread() != owner) {
            // A guard is reachable only after its first open, so `s` is set.
            throw s.kernel.oopses().useAfterUnbind(what + " used outside its RegistrationGuard");
        }
        return s;
    }

    /// `drm_dev_exit()`.
    @Override
    public void close() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("RegistrationGuard closed on another thread");
        }
        if (!open) {
            throw new IllegalStateException("RegistrationGuard already closed");
        }
        pool.pop(depth);
        open = false;
        state.exit(pool, sectionIdx);
    }
}
