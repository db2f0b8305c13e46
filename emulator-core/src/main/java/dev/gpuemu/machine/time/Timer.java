package dev.gpuemu.machine.time;

/// Handle to one scheduled event of a [SimClock] (QEMU's `QEMUTimer`, Linux's `hrtimer`).
///
/// ## Invariants
/// - A timer runs its action at most once; a cancelled timer never runs.
/// - [#deadlineNs()] never changes: rescheduling means scheduling a new event.
///
/// ## Thread safety
/// All methods may be called from any thread, including from inside an event action.
public interface Timer {
    /// Removes the event from the clock's queue.
    ///
    /// @return true if this call removed a pending event (its action will never run); false if
    ///     the event already ran, is running, was cancelled before or the clock was closed
    boolean cancel();

    /// @return true while the event waits in the queue (not yet run, not cancelled)
    boolean isPending();

    /// @return the simulated time in ns at which the event runs (after clamping a past time to
    ///     the clock's now at scheduling)
    long deadlineNs();
}
