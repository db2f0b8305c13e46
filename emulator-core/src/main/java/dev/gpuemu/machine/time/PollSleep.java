package dev.gpuemu.machine.time;

import java.util.function.BooleanSupplier;

/// [SimClock#sleepPoll]: a poll step that skips the steps after which nothing can have changed.
///
/// A poll whose register only an event or a participant can change thus sees the same values at
/// the same simulated times as one woken every step, without a hand-off to the clock thread per
/// step: a 1 s timeout polled every 10 µs costs one wake-up instead of 100,000. PACED mode, and
/// a step that already reaches past the deadline, sleep one plain step.
///
/// The poller reads the clock's change count before each read of its register. When the read
/// finds nothing, it registers one conditional waiter whose deadline is the first step boundary
/// past the poll's deadline and whose condition ([Changed]) holds once the count moved on from
/// the value read before the register: an event ran (the condition is evaluated after every
/// event), a kick, another waiter registered, a participant went idle or left, or the clock saw
/// a participant running (those set the clock's kick pending while pollers wait, so the
/// condition is evaluated then too). A change between the register read and the registration
/// thus wakes the poller at once: no lost wake-up. Woken by a change, the
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

    static void sleep(SimClock clock, long stepNs, long untilNs, long seen) {
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
        Changed changed = new Changed(clock, seen);
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

    /// Holds once the clock's change count differs from the one read before the poll's read.
    static final class Changed implements BooleanSupplier {
        private final SimClock clock;
        private final long seen;

        Changed(SimClock clock, long seen) {
            this.clock = clock;
            this.seen = seen;
        }

        @Override
        public boolean getAsBoolean() {
            // ORDERING: volatile read of `changes`, written under the clock's lock.
            return clock.changes != seen;
        }
    }
}
