package dev.gpuemu.kernel.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.machine.time.ClockMode;
import dev.gpuemu.machine.time.SimClock;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class CompletionTest {
    private static final long MS = 1_000_000L;

    @Test
    void shouldConsumeCompletionThatArrivedBeforeTheWait() {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            Completion done = new Completion(clock);
            assertFalse(done.isDone());
            done.complete();
            assertTrue(done.isDone());
            assertTrue(done.waitForCompletionTimeout(10 * MS));
            assertFalse(done.isDone(), "the wait consumed the only count");
            assertEquals(0, clock.nowNs());
        }
    }

    @Test
    void shouldTimeOutAtDeadlineWhenNeverCompleted() {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            Completion done = new Completion(clock);
            assertFalse(done.waitForCompletionTimeout(10 * MS));
            assertEquals(10 * MS, clock.nowNs());
        }
    }

    @Test
    void shouldWakeKernelThreadWhenClockThreadEventCompletes() throws Exception {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            Completion done = new Completion(clock);
            clock.schedule(2 * MS, done::complete); // the device's IRQ path, on the clock thread
            AtomicBoolean result = new AtomicBoolean();
            AtomicInteger wokeAt = new AtomicInteger();
            Thread kernel = Thread.ofPlatform().name("kworker").start(() -> {
                result.set(done.waitForCompletionTimeout(1_000 * MS));
                wokeAt.set((int) clock.nowNs());
            });
            kernel.join();
            assertTrue(result.get());
            assertEquals(2 * MS, wokeAt.get());
        }
    }

    @Test
    void shouldWakeWaiterWhenAnotherKernelThreadCompletes() throws Exception {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            Completion done = new Completion(clock);
            AtomicBoolean result = new AtomicBoolean();
            Thread waiter = Thread.ofPlatform().start(() -> result.set(done.waitForCompletionTimeout(Long.MAX_VALUE)));
            awaitParked(waiter);
            done.complete();
            waiter.join();
            assertTrue(result.get());
        }
    }

    @Test
    void shouldLetExactlyOneWaiterProceedPerComplete() throws Exception {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            Completion done = new Completion(clock);
            AtomicInteger woken = new AtomicInteger();
            Thread[] waiters = new Thread[2];
            for (int i = 0; i < waiters.length; i++) {
                waiters[i] = Thread.ofPlatform().start(() -> {
                    if (done.waitForCompletionTimeout(Long.MAX_VALUE)) {
                        woken.incrementAndGet();
                    }
                });
            }
            for (Thread t : waiters) {
                awaitParked(t);
            }
            done.complete();
            waitUntil(() -> woken.get() >= 1);
            LockSupport.parkNanos(20 * MS);
            assertEquals(1, woken.get(), "one complete() releases one waiter");
            done.complete();
            for (Thread t : waiters) {
                t.join();
            }
            assertEquals(2, woken.get());
        }
    }

    @Test
    void shouldReleaseEveryWaitUntilReinitAfterCompleteAll() {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            Completion done = new Completion(clock);
            done.completeAll();
            for (int i = 0; i < 5; i++) {
                assertTrue(done.waitForCompletionTimeout(MS));
            }
            assertTrue(done.isDone());
            done.reinit();
            assertFalse(done.isDone());
            assertFalse(done.waitForCompletionTimeout(MS));
        }
    }

    @Test
    void shouldRefuseToWaitOnTheClockThread() {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            Completion done = new Completion(clock);
            AtomicReference<Throwable> caught = new AtomicReference<>();
            clock.schedule(1, () -> {
                try {
                    done.waitForCompletionTimeout(MS);
                } catch (Throwable t) {
                    caught.set(t);
                }
            });
            clock.advance(10);
            assertInstanceOf(IllegalStateException.class, caught.get());
        }
    }

    static void awaitParked(Thread t) {
        waitUntil(() -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING);
    }

    static void waitUntil(java.util.function.BooleanSupplier cond) {
        long end = System.nanoTime() + 5_000 * MS;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not reached in 5 s");
            }
            LockSupport.parkNanos(MS);
        }
    }
}
