package dev.gpuemu.machine.time;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/// One thread's registration as a [Participant]: shared by the nested handles of the
/// same thread, removed when the last of them is closed.
///
/// The clock decides whether the participant is *running* (so it blocks FAST-mode timeout
/// jumps) from [#state], [#woken] and, where the state alone cannot tell, the thread's JVM
/// state; see [#isRunning].
///
/// ## Invariants
/// - [#state] is [#CLOCK_WAIT] only while the owner is registered as a waiter of the clock.
/// - [#woken] is set by the clock (under its lock) before it unparks a released waiter and
///   cleared by the owner once it runs again, so a released participant is never seen idle in
///   between.
///
/// ## Thread safety
/// `depth` is guarded by the clock's lock. `state`, `woken` and `stillBlocked` are volatile: the
/// owner changes them without the clock's lock (a thread queued on that lock would look
/// parked), the clock reads them under it while deciding a jump.
final class Participation {
    /// Between waits: running, unless the thread is observed parked outside the clock.
    static final int RUNNING = 0;
    /// In [SimClock#sleep], [SimClock#await] or [SimClock#advance]: idle.
    static final int CLOCK_WAIT = 1;
    /// In [Participant#idleWhile]: idle while the predicate holds and the thread is parked.
    static final int IDLE_WHILE = 2;

    final Thread thread;
    /// Open handles of this thread; guarded by the clock's lock.
    int depth = 1;
    // ORDERING: volatile; the owner writes stillBlocked before the state that publishes it.
    volatile int state = RUNNING;
    volatile boolean woken;
    volatile BooleanSupplier stillBlocked;

    Participation(Thread thread) {
        this.thread = thread;
    }

    /// Marks a released waiter running before the clock unparks it. Under the clock's lock.
    void wake() {
        woken = true;
        state = RUNNING;
    }

    /// Whether this participant blocks a timeout jump now. Clock thread, under `clockLock`.
    ///
    /// A thread parked or blocked outside the clock (a Java monitor, a `j.u.c` lock, a join)
    /// counts as idle, or a participant queued on a lock held by one that waits for a timeout
    /// would stop time for good; such a thread's own wake-up is then protected only by the idle
    /// grace, as for a non-participant. A thread queued on the clock's own lock is in a clock call
    /// (a kick, a schedule, a wait being registered) and counts as running.
    ///
    /// @param clockLock the clock's lock, held by the caller
    boolean isRunning(ReentrantLock clockLock) {
        return switch (state) {
            case CLOCK_WAIT -> false;
            case IDLE_WHILE -> !blockedNow() || !parkedOutsideClock(clockLock);
            default -> woken || !parkedOutsideClock(clockLock);
        };
    }

    /// @return whether the thread ended (it can never close its handle any more)
    boolean isDead() {
        return thread.getState() == Thread.State.TERMINATED;
    }

    private boolean blockedNow() {
        BooleanSupplier p = stillBlocked;
        try {
            return p != null && p.getAsBoolean();
        } catch (RuntimeException e) {
            return true; // a broken predicate must not stop time: degrade to the grace
        }
    }

    private boolean parkedOutsideClock(ReentrantLock clockLock) {
        Thread.State s = thread.getState();
        boolean parked = s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || s == Thread.State.BLOCKED;
        return parked && !clockLock.hasQueuedThread(thread);
    }
}
