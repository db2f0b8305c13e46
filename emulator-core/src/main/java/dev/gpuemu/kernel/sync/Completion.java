package dev.gpuemu.kernel.sync;

import dev.gpuemu.machine.time.SimClock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/// Linux `struct completion` (`include/linux/completion.h`), waiting in simulated time.
///
/// A `done` count: [#complete()] adds one, each successful wait consumes one, [#completeAll()]
/// sets it to "forever" (`UINT_MAX` in Linux) so every present and future wait succeeds until
/// [#reinit()]. Waiters are served in arrival order, as on a Linux wait queue.
///
/// ## Invariants
/// - `0 <= done <= DONE_ALL`; `DONE_ALL` is sticky until [#reinit()].
/// - A wait that returns true consumed exactly one count (none when `DONE_ALL`).
///
/// ## Thread safety
/// All methods are thread-safe. [#complete()] and [#completeAll()] may be called on the clock
/// thread (from a device's IRQ path) and from any other thread; they [SimClock#kick()] the clock
/// so waiters re-check. Waiting on the clock thread throws [IllegalStateException].
///
/// ## Lifecycle
/// Reusable: [#reinit()] resets it (Linux `reinit_completion`); only call it when no thread waits.
public final class Completion {
    /// Linux's `UINT_MAX` marker of `complete_all`.
    private static final int DONE_ALL = Integer.MAX_VALUE;

    private final SimClock clock;
    private final AtomicInteger done = new AtomicInteger();
    /// The wait condition, allocated once: consumes one count if there is one.
    private final BooleanSupplier tryConsume = this::tryConsume;

    /// @param clock the clock waits are measured against
    public Completion(SimClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /// Lets one waiter (or the next wait) proceed.
    public void complete() {
        // ORDERING: the volatile RMW publishes what the completer wrote before it to the waiter
        // that consumes this count.
        done.getAndUpdate(d -> d >= DONE_ALL - 1 ? d : d + 1);
        clock.kick();
    }

    /// Lets every current and future waiter proceed until [#reinit()].
    public void completeAll() {
        done.set(DONE_ALL);
        clock.kick();
    }

    /// Linux `wait_for_completion_timeout`.
    ///
    /// @param timeoutNs simulated ns, `>= 0`
    /// @return true if a completion was consumed, false on timeout
    public boolean waitForCompletionTimeout(long timeoutNs) {
        return clock.await(tryConsume, timeoutNs);
    }

    /// Linux `reinit_completion`: forget every count, including `completeAll`.
    public void reinit() {
        done.set(0);
    }

    /// Linux `completion_done`.
    ///
    /// @return true if a wait would not block now
    public boolean isDone() {
        return done.get() != 0;
    }

    private boolean tryConsume() {
        while (true) {
            int d = done.get();
            if (d == 0) {
                return false;
            }
            if (d == DONE_ALL || done.compareAndSet(d, d - 1)) {
                return true;
            }
        }
    }
}
