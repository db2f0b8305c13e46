package dev.gpuemu.machine.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/// Event ordering, cancellation, FAST-mode time advance, waits, failures and close.
/// Paced mode and determinism have their own test classes.
@Timeout(20)
class SimClockTest {
    private static final long MS = 1_000_000L;

    @Test
    void shouldRunEventsInTimeThenSequenceOrderIncludingSameTimeTies() {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            List<String> order = new ArrayList<>();
            List<Long> times = new ArrayList<>();
            String[] names = {"a@30", "b@10", "c@20", "d@10", "e@10"};
            long[] at = {30, 10, 20, 10, 10};
            for (int i = 0; i < names.length; i++) {
                String name = names[i];
                clock.scheduleAt(at[i], () -> {
                    order.add(name);
                    times.add(clock.nowNs());
                });
            }
            clock.advance(100);
            assertEquals(List.of("b@10", "d@10", "e@10", "c@20", "a@30"), order);
            assertEquals(List.of(10L, 10L, 10L, 20L, 30L), times, "each event sees now == its deadline");
            assertEquals(100, clock.nowNs());
        }
    }

    @Test
    void shouldNeverRunCancelledTimerAndReportCancelOutcome() {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            AtomicInteger ran = new AtomicInteger();
            Timer cancelled = clock.schedule(10, ran::incrementAndGet);
            Timer kept = clock.schedule(20, ran::incrementAndGet);
            assertTrue(cancelled.isPending());
            assertTrue(cancelled.cancel(), "first cancel removes a pending event");
            assertFalse(cancelled.cancel(), "second cancel finds nothing");
            assertFalse(cancelled.isPending());
            assertEquals(1, clock.pendingEvents());
            clock.advance(100);
            assertEquals(1, ran.get());
            assertFalse(kept.isPending());
            assertFalse(kept.cancel(), "cancel after the event ran returns false");
        }
    }

    @Test
    void shouldNotRunSameTimeTimerCancelledByEarlierEvent() {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            AtomicBoolean victimRan = new AtomicBoolean();
            AtomicReference<Timer> victim = new AtomicReference<>();
            AtomicBoolean cancelResult = new AtomicBoolean();
            clock.scheduleAt(10, () -> cancelResult.set(victim.get().cancel()));
            victim.set(clock.scheduleAt(10, () -> victimRan.set(true)));
            clock.advance(50);
            assertTrue(cancelResult.get());
            assertFalse(victimRan.get());
        }
    }

    @Test
    void shouldClampScheduleAtInThePastToNow() {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            clock.advance(1_000);
            AtomicInteger seen = new AtomicInteger(-1);
            CountDownLatch ran = new CountDownLatch(1);
            Timer t = clock.scheduleAt(5, () -> {
                seen.set((int) clock.nowNs());
                ran.countDown();
            });
            assertEquals(1_000, t.deadlineNs());
            assertTrue(awaitLatch(ran), "a due event runs even with no waiter");
            assertEquals(1_000, seen.get());
        }
    }

    @Test
    void shouldSleepTenSimulatedSecondsInFastModeQuicklyAndExactly() {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            long t0 = System.nanoTime();
            clock.sleep(10_000 * MS);
            long wall = System.nanoTime() - t0;
            assertEquals(10_000 * MS, clock.nowNs());
            assertTrue(wall < 2_000 * MS, "10 s simulated took " + wall / MS + " ms wall");
        }
    }

    @Test
    void shouldNotAdvanceTimeInFastModeWithoutWaiters() {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            AtomicBoolean ran = new AtomicBoolean();
            clock.schedule(MS, () -> ran.set(true));
            LockSupport.parkNanos(50 * MS); // real time passes, simulated time must not
            assertEquals(0, clock.nowNs());
            assertFalse(ran.get());
            assertEquals(1, clock.pendingEvents());
            clock.advance(MS);
            assertTrue(ran.get());
        }
    }

    @Test
    void shouldStopTimeAtWaiterDeadlineLeavingLaterEventsPending() {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            List<Long> fired = new CopyOnWriteArrayList<>();
            for (long t = 1; t <= 10; t++) {
                long when = t * MS;
                clock.scheduleAt(when, () -> fired.add(when));
            }
            clock.sleep(5 * MS);
            LockSupport.parkNanos(20 * MS);
            assertEquals(5 * MS, clock.nowNs(), "no waiter left, so time stopped at the deadline");
            assertEquals(List.of(MS, 2 * MS, 3 * MS, 4 * MS, 5 * MS), fired);
            assertEquals(5, clock.pendingEvents());
        }
    }

    @Test
    void shouldWakeEachOfSeveralWaitersAtItsOwnDeadline() throws Exception {
        // Conditional waits with a 300 ms grace: the clock does not jump before both threads
        // have registered (registration cancels a pending jump), so both deadlines count from 0.
        try (SimClock clock = new SimClock(ClockMode.FAST, 300 * MS)) {
            AtomicLong aWokeAt = new AtomicLong(-1);
            Thread a = Thread.ofPlatform().start(() -> {
                clock.await(() -> false, 3 * MS);
                aWokeAt.set(clock.nowNs());
            });
            Thread b = Thread.ofPlatform().start(() -> clock.await(() -> false, 5 * MS));
            a.join();
            b.join();
            assertEquals(3 * MS, aWokeAt.get());
            assertEquals(5 * MS, clock.nowNs());
        }
    }

    @Test
    void shouldReturnTrueFromAwaitWhenEventSetsCondition() {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            AtomicBoolean flag = new AtomicBoolean();
            clock.schedule(5 * MS, () -> flag.set(true));
            assertTrue(clock.await(flag::get, 1_000 * MS));
            assertEquals(5 * MS, clock.nowNs(), "woken at the event, not at the deadline");
        }
    }

    @Test
    void shouldReturnFalseFromAwaitAtDeadlineWithNowEqualToDeadline() {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            AtomicBoolean neverSet = new AtomicBoolean();
            clock.schedule(9 * MS, () -> neverSet.set(true)); // after the deadline
            assertFalse(clock.await(neverSet::get, 7 * MS));
            assertEquals(7 * MS, clock.nowNs());
            assertFalse(neverSet.get());
        }
    }

    @Test
    void shouldLetConditionSetAtDeadlineByEventWinOverTimeout() {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            AtomicBoolean flag = new AtomicBoolean();
            clock.schedule(7 * MS, () -> flag.set(true));
            assertTrue(clock.await(flag::get, 7 * MS), "events at the deadline run before it expires");
        }
    }

    @Test
    void shouldLetKickFromAnotherThreadWinOverTimeoutDuringIdleGrace() throws Exception {
        // A long grace (5 s real) so the helper surely acts inside it; without the grace the
        // clock would jump straight to the 1 s deadline and await would return false.
        try (SimClock clock = new SimClock(ClockMode.FAST, 5_000 * MS)) {
            AtomicBoolean flag = new AtomicBoolean();
            Thread helper = Thread.ofPlatform().start(() -> {
                LockSupport.parkNanos(50 * MS);
                flag.set(true);
                clock.kick();
            });
            assertTrue(clock.await(flag::get, 1_000 * MS));
            assertEquals(0, clock.nowNs(), "the timeout jump was cancelled");
            helper.join();
        }
    }

    @Test
    void shouldTimeOutAfterIdleGraceWhenNobodyKicks() {
        try (SimClock clock = new SimClock(ClockMode.FAST, 20 * MS)) {
            long t0 = System.nanoTime();
            assertFalse(clock.await(() -> false, 1_000 * MS));
            long wall = System.nanoTime() - t0;
            assertEquals(1_000 * MS, clock.nowNs());
            assertTrue(wall >= 20 * MS, "the jump waited the grace first, took " + wall / 1_000 + " us");
        }
    }

    @Test
    void shouldRefuseSleepAwaitAndAdvanceOnClockThread() {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            List<Throwable> caught = new CopyOnWriteArrayList<>();
            clock.schedule(1, () -> {
                assertTrue(clock.onClockThread());
                for (Runnable r : List.<Runnable>of(() -> clock.sleep(1), () -> clock.await(() -> true, 1),
                        () -> clock.advance(1))) {
                    try {
                        r.run();
                    } catch (Throwable t) {
                        caught.add(t);
                    }
                }
            });
            clock.advance(10);
            assertEquals(3, caught.size());
            caught.forEach(t -> assertInstanceOf(IllegalStateException.class, t));
            assertFalse(clock.onClockThread());
            assertTrue(clock.failures().isEmpty());
        }
    }

    @Test
    void shouldRecordEventFailureReportItToSinkAndKeepRunning() {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            List<Throwable> sunk = new CopyOnWriteArrayList<>();
            clock.setFailureSink(sunk::add);
            IllegalStateException boom = new IllegalStateException("device model bug");
            AtomicBoolean laterRan = new AtomicBoolean();
            clock.schedule(10, () -> {
                throw boom;
            });
            clock.schedule(20, () -> laterRan.set(true));
            clock.advance(30);
            assertTrue(laterRan.get());
            assertEquals(List.of(boom), clock.failures());
            assertEquals(List.of(boom), sunk);
        }
    }

    @Test
    void shouldPropagateExceptionOfConditionToWaiter() {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            AtomicInteger calls = new AtomicInteger();
            IllegalArgumentException bad = new IllegalArgumentException("bad condition");
            clock.schedule(10, () -> { });
            IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                    () -> clock.await(() -> {
                        if (calls.incrementAndGet() > 1) {
                            throw bad; // on the clock thread
                        }
                        return false;
                    }, 1_000));
            assertSame(bad, thrown);
        }
    }

    @Test
    void shouldKeepSleepingWhenInterruptedAndRestoreInterruptFlag() throws Exception {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            AtomicBoolean release = new AtomicBoolean();
            AtomicBoolean flagAfter = new AtomicBoolean();
            AtomicBoolean result = new AtomicBoolean();
            Thread sleeper = Thread.ofPlatform().start(() -> {
                result.set(clock.await(release::get, Long.MAX_VALUE));
                flagAfter.set(Thread.currentThread().isInterrupted());
            });
            awaitParked(sleeper);
            sleeper.interrupt();
            LockSupport.parkNanos(20 * MS);
            assertTrue(sleeper.isAlive(), "an interrupt does not end a simulated-time wait");
            release.set(true);
            clock.kick();
            sleeper.join();
            assertTrue(result.get());
            assertTrue(flagAfter.get());
        }
    }

    @Test
    void shouldReleaseWaitersWithClockClosedExceptionAndRejectSecondClose() throws Exception {
        SimClock clock = new SimClock(ClockMode.FAST);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread waiter = Thread.ofPlatform().start(() -> {
            try {
                clock.await(() -> false, Long.MAX_VALUE);
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        awaitParked(waiter);
        clock.close();
        waiter.join(5_000);
        assertInstanceOf(ClockClosedException.class, outcome.get());
        assertThrows(IllegalStateException.class, clock::close);
        assertThrows(ClockClosedException.class, () -> clock.sleep(1));
        assertThrows(ClockClosedException.class, () -> clock.schedule(1, () -> { }));
    }

    @Test
    void shouldDropPendingEventsOnClose() {
        SimClock clock = new SimClock(ClockMode.FAST);
        AtomicBoolean ran = new AtomicBoolean();
        Timer t = clock.schedule(10, () -> ran.set(true));
        clock.close();
        assertEquals(0, clock.pendingEvents());
        assertFalse(t.isPending());
        assertFalse(t.cancel());
        assertFalse(ran.get());
    }

    @Test
    void shouldRejectNegativeDelaysAndTimeouts() {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            assertThrows(IllegalArgumentException.class, () -> clock.schedule(-1, () -> { }));
            assertThrows(IllegalArgumentException.class, () -> clock.sleep(-1));
            assertThrows(IllegalArgumentException.class, () -> clock.await(() -> false, -1));
            assertThrows(IllegalArgumentException.class, () -> new SimClock(ClockMode.FAST, -1));
        }
    }

    @Test
    void shouldReturnSameDomainForSameNameAndRejectConflictingFrequency() {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            ClockDomain core = clock.domain("gpu-core", 800_000_000L);
            assertEquals(core, clock.domain("gpu-core", 800_000_000L));
            assertThrows(IllegalArgumentException.class, () -> clock.domain("gpu-core", 1_000_000_000L));
        }
    }

    static boolean awaitLatch(CountDownLatch latch) {
        try {
            return latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /// Waits (real time, bounded) until `t` is parked, i.e. has entered its simulated-time wait.
    static void awaitParked(Thread t) {
        long end = System.nanoTime() + 5_000 * MS;
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            if (System.nanoTime() > end) {
                throw new AssertionError("thread never parked: " + t.getState());
            }
            LockSupport.parkNanos(MS);
        }
    }
}
