package dev.gpuemu.machine.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/// PACED mode: simulated time follows wall time. Bounds are one-sided (never early) or generous.
@Timeout(20)
class SimClockPacedTest {
    private static final long MS = 1_000_000L;

    @Test
    void shouldTakeAtLeastTwentyWallMillisecondsToSleepTwentySimulatedMilliseconds() {
        try (SimClock clock = new SimClock(ClockMode.PACED)) {
            long t0 = System.nanoTime();
            long sim0 = clock.nowNs();
            clock.sleep(20 * MS);
            long wall = System.nanoTime() - t0;
            assertTrue(wall >= 20 * MS, "woke after " + wall / 1_000 + " us");
            assertTrue(clock.nowNs() - sim0 >= 20 * MS);
        }
    }

    @Test
    void shouldAdvanceNowWithWallTimeWithoutWaiters() {
        try (SimClock clock = new SimClock(ClockMode.PACED)) {
            long before = clock.nowNs();
            LockSupport.parkNanos(20 * MS);
            assertTrue(clock.nowNs() - before >= 20 * MS);
        }
    }

    @Test
    void shouldRunEventNoEarlierThanItsWallTimeAndAtItsExactSimulatedTime() {
        try (SimClock clock = new SimClock(ClockMode.PACED)) {
            CountDownLatch ran = new CountDownLatch(1);
            AtomicLong wallAtRun = new AtomicLong();
            AtomicLong simAtRun = new AtomicLong();
            long t0 = System.nanoTime();
            Timer t = clock.schedule(15 * MS, () -> {
                wallAtRun.set(System.nanoTime());
                simAtRun.set(clock.nowNs());
                ran.countDown();
            });
            assertTrue(SimClockTest.awaitLatch(ran), "paced event ran without any waiter");
            assertTrue(wallAtRun.get() - t0 >= 15 * MS);
            assertEquals(t.deadlineNs(), simAtRun.get(), "the clock thread sees the event's own time");
        }
    }

    @Test
    void shouldTimeOutAwaitAtDeadlineInPacedMode() {
        try (SimClock clock = new SimClock(ClockMode.PACED)) {
            AtomicBoolean flag = new AtomicBoolean();
            long t0 = System.nanoTime();
            assertFalse(clock.await(flag::get, 10 * MS));
            assertTrue(System.nanoTime() - t0 >= 10 * MS);
        }
    }

    @Test
    void shouldWakeAwaitWhenPacedEventSetsCondition() {
        try (SimClock clock = new SimClock(ClockMode.PACED)) {
            AtomicBoolean flag = new AtomicBoolean();
            Timer t = clock.schedule(5 * MS, () -> flag.set(true));
            assertTrue(clock.await(flag::get, 5_000 * MS));
            assertTrue(clock.nowNs() >= t.deadlineNs());
            assertTrue(clock.nowNs() < 4_000 * MS, "woken by the event, not at the deadline");
        }
    }
}
