package dev.gpuemu.machine.time;

import java.util.Arrays;

/// The threads currently waiting on a [SimClock], in arrival order: conditions are evaluated in
/// that order, so when conditions consume a shared resource (a completion's `done` count) the
/// earliest waiter gets it first, like a Linux wait queue.
///
/// Condition evaluation is split in three steps so conditions never run under the clock's lock
/// (a condition may take a device lock whose holder is calling `schedule`):
/// [#snapshot] under the lock, [#evaluateSnapshot] without it, [#settle] under it again.
///
/// ## Thread safety
/// Guarded by the clock's lock, except [#evaluateSnapshot], which only the clock thread calls and
/// which touches only the clock-thread-only snapshot array. Only the clock thread and `close()`
/// remove waiters, so a snapshot stays valid across the unlocked step; waiters closed meanwhile
/// are skipped by [#settle].
final class WaiterSet {
    private Waiter[] list = new Waiter[8];
    private int size;
    private Waiter[] snapshot = new Waiter[8];
    private boolean minDeadlineHasCondition;
    private long minConditionalDeadline = Long.MAX_VALUE;

    boolean isEmpty() {
        return size == 0;
    }

    void add(Waiter w) {
        if (size == list.length) {
            list = Arrays.copyOf(list, size * 2);
        }
        list[size++] = w;
    }

    /// Copies the waiters that have a condition into the snapshot array.
    ///
    /// @return how many were copied
    int snapshot() {
        if (snapshot.length < size) {
            snapshot = new Waiter[list.length];
        }
        int n = 0;
        for (int i = 0; i < size; i++) {
            Waiter w = list[i];
            if (w.cond != null) {
                snapshot[n++] = w;
            }
        }
        return n;
    }

    /// Evaluates the first `n` snapshot conditions. Clock thread only, without the lock.
    void evaluateSnapshot(int n) {
        for (int i = 0; i < n; i++) {
            snapshot[i].evaluate();
        }
    }

    /// Releases the snapshot waiters whose condition held (or threw).
    void settle(int n) {
        for (int i = 0; i < n; i++) {
            Waiter w = snapshot[i];
            snapshot[i] = null;
            if (w.state() != Waiter.WAITING) {
                continue; // closed while its condition was evaluated
            }
            if (w.failure != null) {
                remove(w);
                w.release(Waiter.FAILED);
            } else if (w.verdict) {
                remove(w);
                w.release(Waiter.SATISFIED);
            }
        }
    }

    /// Releases every waiter whose deadline is `<= now`.
    ///
    /// @return true if any waiter was released
    boolean expire(long now) {
        boolean any = false;
        int kept = 0;
        for (int i = 0; i < size; i++) {
            Waiter w = list[i];
            if (w.deadline <= now) {
                w.release(Waiter.TIMED_OUT);
                any = true;
            } else {
                list[kept++] = w;
            }
        }
        Arrays.fill(list, kept, size, null);
        size = kept;
        return any;
    }

    /// @return the earliest finite deadline, or `Long.MAX_VALUE` if no waiter has one; also
    ///     computes [#minDeadlineHasCondition()] and [#minConditionalDeadline()]
    long minDeadline() {
        long min = Long.MAX_VALUE;
        long minCond = Long.MAX_VALUE;
        boolean cond = false;
        for (int i = 0; i < size; i++) {
            Waiter w = list[i];
            if (w.cond != null && w.deadline < minCond) {
                minCond = w.deadline;
            }
            if (w.deadline < min) {
                min = w.deadline;
                cond = w.cond != null;
            } else if (w.deadline == min && w.cond != null) {
                cond = true;
            }
        }
        minDeadlineHasCondition = cond && min != Long.MAX_VALUE;
        minConditionalDeadline = minCond;
        return min;
    }

    /// @return the earliest deadline of a conditional waiter as of the last [#minDeadline()]
    ///     call (reaching it is a timeout), or `Long.MAX_VALUE` if none has one
    long minConditionalDeadline() {
        return minConditionalDeadline;
    }

    /// @return whether a waiter at the deadline of the last [#minDeadline()] call waits for a
    ///     condition (so reaching that deadline is a timeout, not the end of a sleep)
    boolean minDeadlineHasCondition() {
        return minDeadlineHasCondition;
    }

    /// Releases every waiter with [Waiter#CLOSED].
    void closeAll() {
        for (int i = 0; i < size; i++) {
            list[i].release(Waiter.CLOSED);
            list[i] = null;
        }
        size = 0;
    }

    private void remove(Waiter w) {
        for (int i = 0; i < size; i++) {
            if (list[i] == w) {
                System.arraycopy(list, i + 1, list, i, size - i - 1);
                list[--size] = null;
                return;
            }
        }
        throw new IllegalStateException("waiter not in set: broken SimClock invariant");
    }
}
