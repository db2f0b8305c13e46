package dev.gpuemu.machine.time;

import java.util.concurrent.locks.LockSupport;

/// The body of a [SimClock]'s clock thread: runs due events, evaluates conditions on kicks,
/// expires waiters and, when nothing is due, advances time (see the clock's class doc for the
/// FAST-mode rules, the idle grace and participants).
///
/// ## Thread safety
/// Runs only on the clock thread. All state it touches belongs to the clock and is guarded by
/// the clock's lock, which the loop holds except while an event action or conditions run and
/// while it parks.
final class ClockLoop implements Runnable {
    private final SimClock c;

    ClockLoop(SimClock clock) {
        this.c = clock;
    }

    @Override
    public void run() {
        c.lock.lock();
        try {
            while (!c.closed) {
                long t = c.nowPlain();
                Event head = c.queue.peek();
                if (head != null && head.when <= t) {
                    runEventLocked(c.queue.poll());
                } else if (c.kickPending) {
                    c.kickPending = false;
                    evaluateConditionsLocked();
                } else if (!c.waiters.expire(t)) {
                    idleLocked(head == null ? Long.MAX_VALUE : head.when);
                }
            }
        } finally {
            c.lock.unlock();
        }
    }

    /// Nothing is due: advance time, or park until something changes.
    private void idleLocked(long nextEvent) {
        long nextDeadline = c.waiters.minDeadline();
        long target = Math.min(nextEvent, nextDeadline);
        if (target == Long.MAX_VALUE) {
            parkLocked(0);
        } else if (c.mode() == ClockMode.FAST) {
            if (c.waiters.isEmpty()) {
                parkLocked(0); // FAST: no waiter, time stands still
                return;
            }
            if (participantsHoldBackLocked()) {
                return; // a participant runs: time stands still; look again when it waits
            }
            if (nextDeadline < nextEvent && c.idleGraceNanos > 0 && c.waiters.minDeadlineHasCondition()
                    && (!graceElapsedLocked() || participantsHoldBackLocked())) {
                return; // something changed during the grace: look again
            }
            c.publishNow(target);
        } else {
            long wall = c.wallElapsed();
            if (wall >= target) {
                c.publishNow(target);
            } else {
                parkLocked(target - wall);
            }
        }
    }

    /// Reaps participants whose thread ended, then checks whether one is running; if so, parks
    /// for a poll interval (a participant starting to wait or closing unparks the clock sooner).
    ///
    /// @return true if a participant holds the timeout back (the caller must look again)
    private boolean participantsHoldBackLocked() {
        if (c.participants.size() == 0) {
            return false;
        }
        Participation dead = c.participants.reapDead();
        if (dead != null) {
            IllegalStateException leak = new IllegalStateException("SimClock participant " + dead.thread.getName()
                    + " ended without closing its registration; reaped");
            c.lock.unlock();
            try {
                c.recordFailure(leak);
            } finally {
                c.lock.lock();
            }
            return true;
        }
        if (!c.participants.anyRunning(c.lock)) {
            return false;
        }
        c.noteChangeLocked(); // a running participant may change what a poll reads
        parkLocked(SimClock.PARTICIPANT_POLL_NS);
        return true;
    }

    /// Waits the idle grace in real time.
    ///
    /// @return true if it elapsed with nothing changed, false if a kick, event, waiter or close
    ///     arrived
    private boolean graceElapsedLocked() {
        int gen = c.generation;
        long end = System.nanoTime() + c.idleGraceNanos;
        while (true) {
            long remaining = end - System.nanoTime();
            if (remaining <= 0) {
                return true;
            }
            parkLocked(remaining);
            if (c.generation != gen || c.closed) {
                return false;
            }
        }
    }

    private void runEventLocked(Event e) {
        Runnable action = e.action;
        e.action = null;
        c.changes++;
        int n = c.waiters.snapshot();
        c.lock.unlock();
        try {
            try {
                action.run();
            } catch (Throwable failure) {
                c.recordFailure(failure);
            }
            c.waiters.evaluateSnapshot(n);
        } finally {
            c.lock.lock();
        }
        c.waiters.settle(n);
    }

    private void evaluateConditionsLocked() {
        int n = c.waiters.snapshot();
        if (n == 0) {
            return;
        }
        c.lock.unlock();
        try {
            c.waiters.evaluateSnapshot(n);
        } finally {
            c.lock.lock();
        }
        c.waiters.settle(n);
    }

    /// Releases the lock, parks (0 = until unparked), re-acquires. Signallers change state under
    /// the lock and unpark afterwards, so a wake-up between unlock and park leaves a permit and is
    /// not lost. Spurious returns are fine: the caller re-examines the state.
    private void parkLocked(long nanos) {
        c.lock.unlock();
        try {
            if (nanos == 0) {
                LockSupport.park(c);
            } else {
                LockSupport.parkNanos(c, nanos);
            }
        } finally {
            c.lock.lock();
        }
    }
}
