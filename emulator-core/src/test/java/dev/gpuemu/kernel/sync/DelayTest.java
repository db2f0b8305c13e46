package dev.gpuemu.kernel.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.machine.time.ClockMode;
import dev.gpuemu.machine.time.SimClock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class DelayTest {
    private static final long US = 1_000L;
    private static final long MS = 1_000_000L;

    @Test
    void shouldSleepExactMillisecondsAndMicrosecondsOfSimulatedTime() {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            Delay.msleep(clock, 20);
            assertEquals(20 * MS, clock.nowNs());
            Delay.usleep(clock, 150);
            assertEquals(20 * MS + 150 * US, clock.nowNs());
        }
    }

    @Test
    void shouldReturnValueOnceDeviceSetsItBeforeTimeout() {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            AtomicInteger status = new AtomicInteger(0x1); // BUSY
            clock.schedule(35 * US, () -> status.set(0x2)); // device finishes: READY
            Delay.PollResult<Integer> r = Delay.readPollTimeout(clock, status::get, v -> (v & 0x2) != 0,
                    10 * US, 1_000 * US);
            assertTrue(r.ok());
            assertEquals(0x2, r.value());
            assertEquals(40 * US, clock.nowNs(), "reads at 0, 10, 20, 30, 40 us");
        }
    }

    @Test
    void shouldTimeOutWithLastValueAfterOneFinalReadPastTheDeadline() {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            AtomicInteger reads = new AtomicInteger();
            Delay.PollResult<Integer> r = Delay.readPollTimeout(clock, () -> {
                reads.incrementAndGet();
                return 0x1; // BUSY forever
            }, v -> v == 0, 10 * US, 100 * US);
            assertFalse(r.ok());
            assertEquals(0x1, r.value());
            // Like Linux: reads at 0..110 us (12), 110 > 100 so one more read decides (13).
            assertEquals(13, reads.get());
            assertEquals(110 * US, clock.nowNs());
        }
    }

    @Test
    void shouldPollWithoutDeadlineWhenTimeoutIsZero() {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            AtomicInteger reg = new AtomicInteger();
            clock.schedule(5_000 * MS, () -> reg.set(7));
            Delay.PollResult<Integer> r = Delay.readPollTimeout(clock, reg::get, v -> v == 7, MS, 0);
            assertTrue(r.ok());
            assertEquals(5_000 * MS, clock.nowNs());
        }
    }

    @Test
    void shouldRejectPollWithoutSleepAndNegativeArguments() {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            assertThrows(IllegalArgumentException.class,
                    () -> Delay.readPollTimeout(clock, () -> 0, v -> true, 0, MS));
            assertThrows(IllegalArgumentException.class,
                    () -> Delay.readPollTimeout(clock, () -> 0, v -> true, US, -1));
            assertThrows(IllegalArgumentException.class, () -> Delay.msleep(clock, -1));
            assertThrows(ArithmeticException.class, () -> Delay.msleep(clock, Long.MAX_VALUE));
        }
    }
}
