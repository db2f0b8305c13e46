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
            // Like Linux, the poll gives up at the first 10 us step past 100 us (110 us) after one
            // more read. The steps between are not read: nothing (no event, kick, waiter or
            // participant) could change the register in them (SimClock.sleepPoll), so the reads
            // are at 0 us, at 110 us, and the final one.
            assertEquals(3, reads.get());
            assertEquals(110 * US, clock.nowNs());
        }
    }

    @Test
    void shouldSeeAChangeMadeByAnotherThreadAtTheNextStepAfterItsKick() throws Exception {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            AtomicInteger status = new AtomicInteger(0x1);
            // Both threads take part in simulated time, so neither can let it run ahead of the
            // other before it waits (the device thread is registered before it starts).
            var takesPart = new java.util.concurrent.atomic.AtomicReference<dev.gpuemu.machine.time.Participant>();
            var device = Thread.ofPlatform().unstarted(() -> {
                try {
                    clock.sleep(45 * US); // a plain sleep: it bumps the change count when it registers
                    status.set(0x2);
                    clock.kick();
                } finally {
                    takesPart.get().close();
                }
            });
            takesPart.set(clock.participate(device));
            var poll = new java.util.concurrent.atomic.AtomicReference<Delay.PollResult<Integer>>();
            clock.participating(() -> {
                device.start();
                poll.set(Delay.readPollTimeout(clock, status::get, v -> v == 0x2, 10 * US, 1_000 * MS));
            });
            device.join();
            assertTrue(poll.get().ok());
            assertTrue(clock.failures().isEmpty(), clock.failures().toString());
            assertEquals(50 * US, clock.nowNs(), "seen at the first 10 us step after the change at 45 us");
        }
    }

    @Test
    void shouldTimeOutALongPollQuicklyInRealTime() {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            long t0 = System.nanoTime();
            // 1 s polled every 1 us: 1,000,000 steps, none of which can change the register.
            Delay.PollResult<Integer> r = Delay.readPollTimeout(clock, () -> 1, v -> v == 0, US, 1_000 * MS);
            assertFalse(r.ok());
            assertEquals(1_000 * MS + US, clock.nowNs());
            // Generous: a per-step hand-off to the clock thread takes several seconds for this.
            assertTrue(System.nanoTime() - t0 < 2_000 * MS, "took " + (System.nanoTime() - t0) / MS + " ms");
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
