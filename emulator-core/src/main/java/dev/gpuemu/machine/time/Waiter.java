package dev.gpuemu.machine.time;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;

/// One thread blocked in [SimClock#sleep] or [SimClock#await].
///
/// ## Invariants
/// - `state` leaves [#WAITING] exactly once, set by the clock thread (or by `close()`) under the
///   clock's lock; the waiter thread only reads it.
/// - `cond == null` means a plain sleep: only the deadline ends it.
/// - `deadline == Long.MAX_VALUE` means no deadline.
/// - If the waiting thread is a participant, [#release] marks it running before unparking it,
///   and [#park] clears that mark once the thread runs again (see [Participation]).
///
/// ## Thread safety
/// `verdict` and `failure` are written by the clock thread before the release-store of `state`
/// and read by the waiter after its acquire-load of `state`.
final class Waiter {
    static final int WAITING = 0;
    static final int SATISFIED = 1;
    static final int TIMED_OUT = 2;
    static final int CLOSED = 3;
    static final int FAILED = 4;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Waiter.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Thread thread;
    final long deadline;
    final BooleanSupplier cond;
    /// The waiting thread's participant registration, or null for a non-participant.
    final Participation participation;
    @SuppressWarnings("unused") // accessed through STATE
    private int state;
    /// Result of the last evaluation on the clock thread; clock-thread only until published.
    boolean verdict;
    /// What the condition threw, if anything; published by the `FAILED` state.
    Throwable failure;

    Waiter(Thread thread, long deadline, BooleanSupplier cond, Participation participation) {
        this.thread = thread;
        this.deadline = deadline;
        this.cond = cond;
        this.participation = participation;
    }

    int state() {
        // ORDERING: acquire, pairs with the release in #release so verdict/failure are visible.
        return (int) STATE.getAcquire(this);
    }

    /// Ends the wait with `newState` and wakes the waiter. Called under the clock's lock.
    void release(int newState) {
        if (participation != null) {
            participation.wake(); // running from now: no window in which the wakee looks idle
        }
        // ORDERING: release, publishes failure written before.
        STATE.setRelease(this, newState);
        LockSupport.unpark(thread);
    }

    /// Evaluates the condition on the calling (clock) thread; records the verdict or failure.
    void evaluate() {
        try {
            verdict = cond.getAsBoolean();
        } catch (Throwable t) {
            failure = t;
        }
    }

    /// Parks the waiter thread until the state leaves [#WAITING]. Uninterruptible like
    /// Linux's `msleep`: an interrupt is remembered and re-asserted on return.
    int park() {
        boolean interrupted = false;
        int s;
        while ((s = state()) == WAITING) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                interrupted = true;
            }
        }
        if (participation != null) {
            participation.woken = false; // running on its own thread again: its JVM state tells
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return s;
    }
}
