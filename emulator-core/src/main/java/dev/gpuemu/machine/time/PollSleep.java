package dev.gpuemu.machine.time;

import java.util.function.BooleanSupplier;

/// [SimClock#sleepPoll]: a poll step that skips the steps after which nothing can have changed.
///
/// A poll whose register only an event or a participant can change thus sees the same values at
/// the same simulated times as one woken every step, without a hand-off to the clock thread per
/// step: a 1 s timeout polled every 10 µs costs one wake-up instead of 100,000. PACED mode, and
/// a step that already reaches past the deadline, sleep one plain step.
///
/// A poller that found its register unchanged registers one conditional waiter whose deadline
/// is the first step boundary past the poll's deadline and whose condition ([Changed]) holds
/// once the clock's change count moved on: an event ran (the condition is evaluated after every
/// event), a kick, another waiter registered or a participant left (those set the clock's kick
/// pending while pollers wait, so the condition is evaluated then too). Woken by a change, the
/// poller sleeps on to the next step boundary, where a poll woken every step would have looked
/// next. Before a FAST-mode jump to the deadline the clock waits its idle grace, as for every
/// conditional waiter, so a non-participant thread changing state without a kick has the same
/// window as with any [SimClock#await].
///
/// ## Thread safety
/// Stateless; a [Changed] belongs to one poll step of one thread.
final class PollSleep {
    private PollSleep() {
    }

    static void sleep(SimClock clock, long stepNs, long untilNs) {
        if (stepNs <= 0) {
            throw new IllegalArgumentException("stepNs must be > 0, got " + stepNs);
        }
        long start = clock.nowNs();
        // Steps until the first boundary strictly after untilNs (a poll gives up once now > deadline).
        long steps = untilNs < start ? 1 : (untilNs - start) / stepNs + 1;
        if (clock.mode() != ClockMode.FAST || steps <= 1) {
            clock.sleep(stepNs);
            return;
        }
        long maxNs = steps > Long.MAX_VALUE / stepNs ? Long.MAX_VALUE : steps * stepNs;
        Changed changed = new Changed(clock);
        Waiter w = clock.register(changed, maxNs);
        int state;
        try {
            state = w.park();
        } finally {
            clock.lock.lock();
            try {
                clock.pollers--;
            } finally {
                clock.lock.unlock();
            }
        }
        switch (state) {
            case Waiter.SATISFIED -> {
                long elapsed = clock.nowNs() - start;
                long k = Math.max(1, (elapsed + stepNs - 1) / stepNs);
                long rest = start + k * stepNs - clock.nowNs();
                if (rest > 0) {
                    clock.sleep(rest);
                }
            }
            case Waiter.TIMED_OUT -> {
                // the first boundary past the deadline: the caller's last poll
            }
            case Waiter.CLOSED -> throw new ClockClosedException();
            default -> throw new IllegalStateException("poll waiter released in state " + state);
        }
    }

    /// Holds once the clock's change count differs from the one at registration.
    static final class Changed implements BooleanSupplier {
        private final SimClock clock;
        private long armed = Long.MIN_VALUE; // set under the clock's lock before any evaluation

        Changed(SimClock clock) {
            this.clock = clock;
        }

        void arm(long changes) {
            armed = changes;
        }

        @Override
        public boolean getAsBoolean() {
            // ORDERING: volatile read of `changes`; `armed` was written under the clock's lock,
            // which every evaluation (clock thread, after taking a snapshot under the lock, or
            // the owner at timeout) acquired after the registration released it.
            return clock.changes != armed;
        }
    }
}
