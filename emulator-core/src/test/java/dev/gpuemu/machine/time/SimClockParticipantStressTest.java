package dev.gpuemu.machine.time;

import static dev.gpuemu.machine.time.SimClockParticipantTest.compute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/// A token ring of participants on a loaded host: each waits for the token with a short
/// simulated timeout, computes a random real time (often far beyond the idle grace), then
/// passes the token on through a clock-visible hand-off (a flag and a kick, or a semaphore in
/// [Participant#idleWhile]). No wait may time out. Meanwhile a no-condition sleeper keeps time
/// moving and a CPU burner competes for the 2 cores. Runs `gpuemu.stress.seconds` (default 2;
/// `-Pstress` runs 60).
class SimClockParticipantStressTest {
    private static final int RING = 3;
    private static final long MS = 1_000_000L;
    /// Simulated timeout of each token wait: far shorter than a computation in real time.
    private static final long TOKEN_TIMEOUT_NS = 100_000L;

    @Test
    void shouldNeverTimeOutTokenWaitsWhileTheHolderComputes() throws Exception {
        long seconds = Long.getLong("gpuemu.stress.seconds", 2);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        AtomicInteger[] tokens = new AtomicInteger[RING];
        Semaphore[] handoffs = new Semaphore[RING];
        for (int i = 0; i < RING; i++) {
            tokens[i] = new AtomicInteger();
            handoffs[i] = new Semaphore(0);
        }
        AtomicLong passes = new AtomicLong();
        AtomicLong timeouts = new AtomicLong();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        try (SimClock clock = new SimClock(ClockMode.FAST);
             // The test thread hands out the first token: it participates so no ring member
             // can time out before the token exists (it is idle once it joins).
             Participant setup = clock.participate()) {
            List<Thread> threads = new ArrayList<>();
            Thread burner = Thread.ofPlatform().daemon().name("burner").start(() -> {
                while (System.nanoTime() - end < 0) {
                    compute(MS);
                }
            });
            Thread sleeper = Thread.ofPlatform().daemon().name("sleeper").start(() -> clock.participating(() -> {
                while (System.nanoTime() - end < 0) {
                    clock.sleep(10_000); // moves time in small steps while the ring works
                }
            }));
            for (int i = 0; i < RING; i++) {
                int me = i;
                SplittableRandom random = new SplittableRandom(42 + i);
                Participant[] own = new Participant[1];
                Thread t = Thread.ofPlatform().name("ring-" + i).unstarted(() -> {
                    try (Participant p = own[0]) {
                        ringMember(clock, p, me, tokens, handoffs, random, end, passes, timeouts);
                    } catch (Throwable x) {
                        failures.add(x);
                    }
                });
                // Registered before it starts: a member that has not run yet counts as running,
                // so the others cannot time out while it is still being scheduled.
                own[0] = clock.participate(t);
                threads.add(t);
            }
            threads.forEach(Thread::start);
            tokens[0].set(1); // the first holder gets the token from outside the ring
            clock.kick();
            for (Thread t : threads) {
                t.join();
            }
            sleeper.join();
            burner.join();
            assertTrue(failures.isEmpty(), () -> "ring failed: " + failures);
            assertEquals(0, timeouts.get(), "token waits timed out after " + passes.get() + " passes");
            assertTrue(passes.get() >= 10, "too few passes to mean anything: " + passes.get());
            assertTrue(clock.failures().isEmpty(), () -> "clock failures: " + clock.failures());
        }
    }

    /// Waits for the token (alternately on the clock and blocked on a semaphore in idleWhile),
    /// computes, hands it to the next member. Stops at `end`, passing the token on so the others
    /// stop too.
    private static void ringMember(SimClock clock, Participant p, int me, AtomicInteger[] tokens,
                                   Semaphore[] handoffs, SplittableRandom random, long end,
                                   AtomicLong passes, AtomicLong timeouts) throws InterruptedException {
        AtomicInteger token = tokens[me];
        int next = (me + 1) % RING;
        for (long round = 0; ; round++) {
            boolean viaSemaphore = round % 2 == 1;
            if (viaSemaphore) {
                Semaphore s = handoffs[me];
                p.idleWhile(() -> s.availablePermits() == 0 && token.get() == 0,
                        () -> s.tryAcquire(10, TimeUnit.SECONDS));
            }
            // The token may already be here (it came through the flag); otherwise wait for it.
            if (!clock.await(() -> token.get() != 0, TOKEN_TIMEOUT_NS)) {
                timeouts.incrementAndGet();
                return;
            }
            int value = token.getAndSet(0);
            if (value < 0 || System.nanoTime() - end >= 0) {
                pass(clock, tokens, handoffs, next, -1); // tell the next member to stop
                return;
            }
            compute(random.nextLong(0, 3 * MS)); // up to 60 idle graces of real time
            passes.incrementAndGet();
            pass(clock, tokens, handoffs, next, value + 1);
        }
    }

    private static void pass(SimClock clock, AtomicInteger[] tokens, Semaphore[] handoffs, int to, int value) {
        tokens[to].set(value);
        handoffs[to].release(); // ends the receiver's idleWhile when it blocks there
        clock.kick();
    }
}
