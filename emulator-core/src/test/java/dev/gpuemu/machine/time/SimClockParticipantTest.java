package dev.gpuemu.machine.time;

import static dev.gpuemu.machine.time.SimClockTest.awaitParked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/// FAST-mode timeouts and participants: a running participant holds back every timeout, idle
/// participants do not, non-participants keep the idle grace, and the registration's lifecycle.
/// The long real-time computations (20 ms, 400 times the default grace) stand for a loaded host.
@Timeout(30)
class SimClockParticipantTest {
    private static final long MS = 1_000_000L;
    private static final long COMPUTE_NS = 20 * MS;

    /// Burns real time on the calling thread without blocking (a handler or userspace thread
    /// computing).
    static void compute(long ns) {
        long end = System.nanoTime() + ns;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }

    /// Starts a participant thread that computes, then sets `flag` and kicks the clock. Returns
    /// once the thread is registered.
    private static Thread startSignaller(SimClock clock, long computeNs, AtomicBoolean flag) {
        CountDownLatch registered = new CountDownLatch(1);
        Thread t = Thread.ofPlatform().name("signaller").start(() -> clock.participating(() -> {
            registered.countDown();
            compute(computeNs);
            flag.set(true);
            clock.kick();
        }));
        await(registered);
        return t;
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS), "latch never opened");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void shouldNeverTimeOutWaiterWhoseSignallerParticipantComputesFarBeyondTheGrace() throws Exception {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            for (int round = 0; round < 5; round++) {
                AtomicBoolean flag = new AtomicBoolean();
                long start = clock.nowNs();
                Thread signaller = startSignaller(clock, COMPUTE_NS, flag);
                assertTrue(clock.await(flag::get, MS), "round " + round + ": timed out while the signaller computed");
                assertTrue(clock.nowNs() - start < MS, "the 1 ms deadline was never reached");
                signaller.join();
            }
            assertEquals(0, clock.participants());
            assertTrue(clock.failures().isEmpty());
        }
    }

    @Test
    void shouldTimeOutPromptlyWhenEveryParticipantWaits() throws Exception {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            AtomicReference<Boolean> other = new AtomicReference<>();
            CountDownLatch registered = new CountDownLatch(1);
            Thread t = Thread.ofPlatform().start(() -> clock.participating(() -> {
                registered.countDown();
                other.set(clock.await(() -> false, 5 * MS));
            }));
            await(registered);
            long t0 = System.nanoTime();
            boolean mine;
            try (Participant _ = clock.participate()) {
                mine = clock.await(() -> false, 3 * MS);
            }
            t.join();
            long wall = System.nanoTime() - t0;
            assertFalse(mine);
            assertFalse(other.get());
            assertTrue(clock.nowNs() >= 5 * MS, "time jumped to the deadlines");
            assertTrue(wall < 5_000 * MS, "the timeouts took " + wall / MS + " ms of real time");
        }
    }

    @Test
    void shouldKeepIdleGraceOnlyForNonParticipantSignallers() throws Exception {
        // A non-participant computing past the grace loses the race, as before participants:
        // the waiter times out. (100 ms against a 50 us grace: the clock thread would have to be
        // starved for the whole computation for this to go the other way.)
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            AtomicBoolean flag = new AtomicBoolean();
            Thread outsider = Thread.ofPlatform().start(() -> {
                compute(100 * MS);
                flag.set(true);
                clock.kick();
            });
            assertFalse(clock.await(flag::get, MS), "a non-participant gets only the grace");
            assertEquals(MS, clock.nowNs());
            outsider.join();
        }
    }

    @Test
    void shouldHoldTimeStillWhileParticipantRunsAndRunDueEventsOnly() throws Exception {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            AtomicBoolean flag = new AtomicBoolean();
            AtomicBoolean eventFlag = new AtomicBoolean();
            AtomicBoolean flagWhenEventRan = new AtomicBoolean();
            AtomicBoolean dueRan = new AtomicBoolean();
            Thread signaller = startSignaller(clock, 200 * MS, flag);
            clock.schedule(0, () -> dueRan.set(true));
            clock.schedule(MS / 2, () -> {
                flagWhenEventRan.set(flag.get());
                eventFlag.set(true);
            });
            // A plain sleep: no timeout involved, yet time may not move while the signaller runs.
            clock.sleep(MS / 4);
            assertTrue(dueRan.get(), "an event due at the start ran");
            assertTrue(flag.get(), "time moved only once the participant had finished its work");
            assertTrue(clock.await(eventFlag::get, MS), "the event before the deadline ran");
            assertTrue(flagWhenEventRan.get(), "the later event saw the participant's work done");
            assertEquals(MS / 2, clock.nowNs());
            signaller.join();
        }
    }

    @Test
    void shouldCountIdleWhileBlockedAndRunningOnceWorkIsHanded() throws Exception {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            Semaphore work = new Semaphore(0);
            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread worker = Thread.ofPlatform().name("worker").start(() -> clock.participating(() -> {
                try (Participant p = clock.participate()) { // nested: still one participant
                    p.idleWhile(() -> work.availablePermits() == 0, work::acquire);
                    compute(COMPUTE_NS);
                    done.set(true);
                    clock.kick();
                } catch (Throwable t) {
                    failure.set(t);
                }
            }));
            awaitParked(worker);
            assertEquals(1, clock.participants());
            // Blocked with nothing to do: it does not hold back a timeout.
            assertFalse(clock.await(() -> false, MS));
            // Handing it work marks it running before it is even scheduled.
            work.release();
            assertTrue(clock.await(done::get, MS), "timed out while the worker had work");
            worker.join();
            assertSame(null, failure.get());
            assertEquals(0, clock.participants());
        }
    }

    @Test
    void shouldNotHoldBackTimeoutForParticipantBlockedOnAJavaLock() throws Exception {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            ReentrantLock lock = new ReentrantLock();
            lock.lock();
            Thread blocked;
            try {
                blocked = Thread.ofPlatform().start(() -> clock.participating(() -> {
                    lock.lock();
                    lock.unlock();
                }));
                awaitParked(blocked);
                // The holder waits for a timeout: the participant queued behind it must not stop time.
                assertFalse(clock.await(() -> false, MS));
            } finally {
                lock.unlock();
            }
            blocked.join();
        }
    }

    @Test
    void shouldHoldBackTimeoutForReleasedWaiterUntilItRunsAgain() throws Exception {
        // A participant woken by an event computes before it signals: from its release on it
        // counts as running, so the other waiter's timeout (1 ms after the event) never fires.
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            AtomicBoolean go = new AtomicBoolean();
            AtomicBoolean answer = new AtomicBoolean();
            CountDownLatch registered = new CountDownLatch(1);
            Thread relay = Thread.ofPlatform().start(() -> clock.participating(() -> {
                registered.countDown();
                clock.await(go::get, Long.MAX_VALUE);
                compute(COMPUTE_NS);
                answer.set(true);
                clock.kick();
            }));
            await(registered);
            clock.schedule(MS, () -> go.set(true));
            assertTrue(clock.await(answer::get, 2 * MS), "timed out while the woken relay computed");
            assertTrue(clock.nowNs() < 3 * MS);
            relay.join();
        }
    }

    @Test
    void shouldRejectSecondCloseAndIdleWhileFromAnotherThreadAfterCloseOrNested() throws Exception {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            Participant p = clock.participate();
            assertSame(Thread.currentThread(), p.owner());
            AtomicReference<Throwable> foreign = new AtomicReference<>();
            Thread other = Thread.ofPlatform().start(() -> {
                try {
                    p.idleWhile(() -> true, () -> { });
                } catch (Throwable t) {
                    foreign.set(t);
                }
            });
            other.join();
            assertInstanceOf(IllegalStateException.class, foreign.get());
            p.close();
            assertThrows(IllegalStateException.class, p::close);
            assertThrows(IllegalStateException.class, () -> p.idleWhile(() -> true, () -> { }));
            assertEquals(0, clock.participants());
            try (Participant q = clock.participate()) {
                assertThrows(IllegalStateException.class,
                        () -> q.idleWhile(() -> true, () -> q.idleWhile(() -> true, () -> { })), "idleWhile nests");
            }
        }
    }

    @Test
    void shouldRejectParticipationOnClosedClockAndOfEndedThread() throws Exception {
        SimClock clock = new SimClock(ClockMode.FAST);
        Thread ended = Thread.ofPlatform().start(() -> { });
        ended.join();
        assertThrows(IllegalArgumentException.class, () -> clock.participate(ended));
        Participant open = clock.participate();
        clock.close();
        assertThrows(ClockClosedException.class, clock::participate);
        open.close(); // closing a registration after the clock closed is fine
    }

    @Test
    void shouldReapParticipantThreadThatEndedWithoutClosingAndRecordIt() throws Exception {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            Thread leaker = Thread.ofPlatform().name("leaker").start(() -> {
                Participant leaked = clock.participate(); // never closed: an emulator bug
                assertSame(Thread.currentThread(), leaked.owner());
            });
            leaker.join();
            assertEquals(1, clock.participants());
            assertFalse(clock.await(() -> false, MS), "a dead participant does not stop time for good");
            assertEquals(0, clock.participants());
            assertEquals(1, clock.failures().size());
            assertInstanceOf(IllegalStateException.class, clock.failures().getFirst());
            assertTrue(clock.failures().getFirst().getMessage().contains("leaker"));
        }
    }

    @Test
    void shouldHoldBackTimeoutsWhileAliveParticipantThatForgotToCloseRuns() throws Exception {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch registered = new CountDownLatch(1);
            AtomicReference<Participant> forgotten = new AtomicReference<>();
            Thread spinner = Thread.ofPlatform().start(() -> {
                forgotten.set(clock.participate());
                registered.countDown();
                while (!stop.get()) {
                    Thread.onSpinWait(); // running, forever, until told
                }
            });
            await(registered);
            AtomicReference<Boolean> result = new AtomicReference<>();
            Thread waiter = Thread.ofPlatform().start(() -> result.set(clock.await(() -> false, MS)));
            waiter.join(100);
            assertTrue(waiter.isAlive(), "the timeout fired although a participant was running");
            assertEquals(0, clock.nowNs());
            forgotten.get().close(); // another thread may close it
            waiter.join();
            assertFalse(result.get());
            stop.set(true);
            spinner.join();
        }
    }

    @Test
    void shouldSleepOffChargedWorkOfParticipantsInQuantaAndDropChargesOfOthers() throws Exception {
        try (SimClock clock = new SimClock(ClockMode.FAST)) {
            clock.chargeParticipant(SimClock.PARTICIPANT_QUANTUM_NS * 3);
            assertEquals(0, clock.nowNs(), "a non-participant's charge is dropped");
            AtomicReference<Long> after39 = new AtomicReference<>();
            AtomicReference<Long> after40 = new AtomicReference<>();
            Thread t = Thread.ofPlatform().start(() -> clock.participating(() -> {
                for (int i = 0; i < 39; i++) {
                    clock.chargeParticipant(250);
                }
                after39.set(clock.nowNs());
                clock.chargeParticipant(250); // the 40th reaches the 10 us quantum
                after40.set(clock.nowNs());
            }));
            t.join(10_000);
            assertEquals(0L, after39.get(), "charges below a quantum cost no clock wait");
            assertEquals(SimClock.PARTICIPANT_QUANTUM_NS, after40.get(), "a quantum is slept off at once");
        }
    }
}
