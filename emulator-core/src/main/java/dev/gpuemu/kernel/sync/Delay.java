package dev.gpuemu.kernel.sync;

import dev.gpuemu.machine.time.SimClock;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;

/// Linux delay and polling helpers (`msleep`, `usleep_range`, `read_poll_timeout` from
/// `include/linux/delay.h` and `include/linux/iopoll.h`), measured in simulated time.
///
/// All of them block the calling kernel thread and throw [IllegalStateException] on the clock
/// thread ("sleeping in atomic context").
public final class Delay {
    private static final long NS_PER_US = 1_000L;
    private static final long NS_PER_MS = 1_000_000L;

    private Delay() {
    }

    /// Linux `msleep`: sleeps `ms` milliseconds of simulated time.
    ///
    /// @param clock the clock
    /// @param ms milliseconds, `>= 0`
    public static void msleep(SimClock clock, long ms) {
        clock.sleep(Math.multiplyExact(ms, NS_PER_MS));
    }

    /// Linux `usleep_range(us, us)`: sleeps `us` microseconds of simulated time.
    ///
    /// @param clock the clock
    /// @param us microseconds, `>= 0`
    public static void usleep(SimClock clock, long us) {
        clock.sleep(Math.multiplyExact(us, NS_PER_US));
    }

    /// Linux `read_poll_timeout(op, val, cond, sleep_us, timeout_us)`: calls `op` every `sleepNs`
    /// until `done.test(value)` or the timeout passed. As in Linux, once the time is past the
    /// deadline `op` is read one last time and that value decides, so a condition that became
    /// true during the last sleep is not reported as a timeout. `op` runs on the caller's thread.
    ///
    /// Unlike Linux, `sleepNs` must be positive: a poll that never sleeps never lets FAST-mode
    /// simulated time advance, so it would spin forever.
    ///
    /// @param clock the clock
    /// @param op reads the value (typically an MMIO register)
    /// @param done the exit condition
    /// @param sleepNs simulated ns between reads, `> 0`
    /// @param timeoutNs simulated ns, `>= 0`; 0 means no timeout, as in Linux
    /// @param <T> the value type
    /// @return whether `done` held, and the last value read
    public static <T> PollResult<T> readPollTimeout(SimClock clock, Supplier<T> op, Predicate<T> done,
                                                    long sleepNs, long timeoutNs) {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(done, "done");
        if (sleepNs <= 0) {
            throw new IllegalArgumentException("sleepNs must be > 0, got " + sleepNs);
        }
        if (timeoutNs < 0) {
            throw new IllegalArgumentException("timeoutNs must be >= 0, got " + timeoutNs);
        }
        long start = clock.nowNs();
        long deadline = timeoutNs == 0 || start > Long.MAX_VALUE - timeoutNs ? Long.MAX_VALUE : start + timeoutNs;
        while (true) {
            long seen = clock.changeCount(); // ORDERING: before the read, so no change is missed
            T value = op.get();
            if (done.test(value)) {
                return new PollResult<>(true, value);
            }
            if (clock.nowNs() > deadline) {
                value = op.get();
                return new PollResult<>(done.test(value), value);
            }
            clock.sleepPoll(sleepNs, deadline, seen); // next step after a change since `seen`, or past the deadline
        }
    }

    /// Outcome of [#readPollTimeout]: `ok` is false on timeout (Linux `-ETIMEDOUT`).
    ///
    /// @param ok whether the exit condition held
    /// @param value the last value read
    /// @param <T> the value type
    public record PollResult<T>(boolean ok, T value) {
    }
}
