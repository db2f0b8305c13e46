package dev.gpuemu.kernel.sync;

import static dev.gpuemu.kernel.sync.SrcuTestSupport.await;
import static dev.gpuemu.kernel.sync.SrcuTestSupport.join;
import static dev.gpuemu.kernel.sync.SrcuTestSupport.newSrcu;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.kernel.sync.SrcuTestSupport.HeldReader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SrcuTest {
    /// "Certainly still blocked" probe for a writer that must not finish: generous, not a speed goal.
    private static final long BLOCKED_PROBE_MS = 150;

    @ParameterizedTest
    @EnumSource(Srcu.Mode.class)
    void shouldWaitForReaderThatEnteredBeforeSynchronize(final Srcu.Mode mode) throws Exception {
        final Srcu srcu = newSrcu("wait", mode);
        final HeldReader reader = new HeldReader(srcu, "r1");
        final AtomicBoolean readerGoneWhenWriterReturned = new AtomicBoolean();
        final CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            srcu.synchronize();
            readerGoneWhenWriterReturned.set(reader.leaving());
        });
        Thread.sleep(BLOCKED_PROBE_MS); // test thread only; the model never sleeps
        assertFalse(writer.isDone(), "synchronize returned while a prior reader held its section");
        reader.leaveAndJoin();
        writer.get(SrcuTestSupport.LONG_WAIT_SECONDS, TimeUnit.SECONDS);
        assertTrue(readerGoneWhenWriterReturned.get());
    }

    @ParameterizedTest
    @EnumSource(Srcu.Mode.class)
    void shouldNotWaitForReaderThatEnteredAfterSynchronizeBegan(final Srcu.Mode mode) throws Exception {
        final Srcu srcu = newSrcu("late", mode);
        final HeldReader r1 = new HeldReader(srcu, "r1");
        final CountDownLatch flipped = new CountDownLatch(1);
        srcu.afterFlipHook(flipped::countDown);
        final CompletableFuture<Void> writer = CompletableFuture.runAsync(srcu::synchronize);
        await(flipped);
        final HeldReader r2 = new HeldReader(srcu, "r2");
        assertFalse(writer.isDone(), "writer must still wait for r1");
        r1.leaveAndJoin();
        writer.get(SrcuTestSupport.LONG_WAIT_SECONDS, TimeUnit.SECONDS);
        assertFalse(r2.leaving(), "writer returned only after r2 left");
        r2.leaveAndJoin();
    }

    @ParameterizedTest
    @EnumSource(Srcu.Mode.class)
    void shouldMakeSynchronizeWaitForASectionOpenedThroughAReaderHandle(final Srcu.Mode mode) throws Exception {
        final Srcu srcu = newSrcu("reader", mode);
        final Srcu.Reader r = srcu.reader();
        final int idx = r.lock();
        assertTrue(srcu.inReadSection(), "the handle's section is this thread's section");
        final CompletableFuture<Boolean> writer = CompletableFuture.supplyAsync(
                () -> srcu.synchronize(BLOCKED_PROBE_MS, TimeUnit.MILLISECONDS), SrcuTestSupport.EXECUTOR);
        assertFalse(writer.get(SrcuTestSupport.LONG_WAIT_SECONDS, TimeUnit.SECONDS),
                "synchronize finished while a handle's section was open");
        srcu.readUnlock(idx); // the plain API closes a section the handle opened on this thread
        assertFalse(srcu.inReadSection());
        assertTrue(srcu.synchronize(SrcuTestSupport.LONG_WAIT_SECONDS, TimeUnit.SECONDS));
        assertThrows(IllegalStateException.class, () -> r.unlock(idx), "no section left to close");
    }

    @Test
    void shouldRefuseAReaderHandleOnAnotherThread() throws Exception {
        final Srcu srcu = newSrcu("reader-owner", Srcu.Mode.FENCE);
        final Srcu.Reader r = srcu.reader();
        final Throwable t = CompletableFuture.supplyAsync(() -> {
            try {
                r.lock();
                return null;
            } catch (IllegalStateException e) {
                return e;
            }
        }, SrcuTestSupport.EXECUTOR).get(SrcuTestSupport.LONG_WAIT_SECONDS, TimeUnit.SECONDS);
        assertTrue(t instanceof IllegalStateException, "lock on another thread must throw");
        assertFalse(srcu.inReadSection());
        assertTrue(srcu.synchronize(SrcuTestSupport.LONG_WAIT_SECONDS, TimeUnit.SECONDS), "no section was opened");
    }

    @ParameterizedTest
    @EnumSource(Srcu.Mode.class)
    void shouldAllowNestedSections(final Srcu.Mode mode) {
        final Srcu srcu = newSrcu("nest", mode);
        assertFalse(srcu.inReadSection());
        final int outer = srcu.readLock();
        final int inner = srcu.readLock();
        assertEquals(outer, inner);
        srcu.readUnlock(inner);
        assertTrue(srcu.inReadSection());
        srcu.readUnlock(outer);
        assertFalse(srcu.inReadSection());
        assertTrue(srcu.synchronize(SrcuTestSupport.LONG_WAIT_SECONDS, TimeUnit.SECONDS));
    }

    @ParameterizedTest
    @EnumSource(Srcu.Mode.class)
    void shouldAllowNestingAcrossAnEpochFlip(final Srcu.Mode mode) throws Exception {
        final Srcu srcu = newSrcu("nest-flip", mode);
        final int outer = srcu.readLock();
        // Another thread's grace period flips the epoch, then times out waiting for `outer`.
        final boolean finished = CompletableFuture
                .supplyAsync(() -> srcu.synchronize(BLOCKED_PROBE_MS, TimeUnit.MILLISECONDS))
                .get(SrcuTestSupport.LONG_WAIT_SECONDS, TimeUnit.SECONDS);
        assertFalse(finished);
        final int inner = srcu.readLock();
        assertNotEquals(outer, inner, "the nested section uses the new epoch");
        srcu.readUnlock(inner);
        assertTrue(srcu.inReadSection());
        srcu.readUnlock(outer);
        assertFalse(srcu.inReadSection());
        assertTrue(srcu.synchronize(SrcuTestSupport.LONG_WAIT_SECONDS, TimeUnit.SECONDS));
    }

    @ParameterizedTest
    @EnumSource(Srcu.Mode.class)
    void shouldThrowWhenSynchronizeCalledInsideOwnReadSection(final Srcu.Mode mode) {
        final Srcu srcu = newSrcu("self", mode);
        final Srcu other = newSrcu("other", mode);
        srcu.withReadLock(() -> {
            assertThrows(IllegalStateException.class, srcu::synchronize);
            assertThrows(IllegalStateException.class, () -> srcu.synchronize(1, TimeUnit.SECONDS));
            // A section of this domain does not block another domain's grace period.
            other.synchronize();
        });
        srcu.synchronize();
    }

    @ParameterizedTest
    @EnumSource(Srcu.Mode.class)
    void shouldRejectUnbalancedOrBadUnlock(final Srcu.Mode mode) {
        final Srcu srcu = newSrcu("bad", mode);
        assertThrows(IllegalStateException.class, () -> srcu.readUnlock(0));
        assertThrows(IllegalArgumentException.class, () -> srcu.readUnlock(2));
        final int idx = srcu.readLock();
        assertThrows(IllegalStateException.class, () -> srcu.readUnlock(idx ^ 1));
        srcu.readUnlock(idx);
        assertThrows(IllegalStateException.class, () -> srcu.readUnlock(idx));
        assertFalse(srcu.inReadSection());
        srcu.synchronize();
    }

    @ParameterizedTest
    @EnumSource(Srcu.Mode.class)
    void shouldReturnFalseOnTimeoutAndSucceedLater(final Srcu.Mode mode) {
        final Srcu srcu = newSrcu("timeout", mode);
        final HeldReader reader = new HeldReader(srcu, "r1");
        // First call: flips, then times out waiting for the reader (its index is now inactive).
        assertFalse(srcu.synchronize(BLOCKED_PROBE_MS, TimeUnit.MILLISECONDS));
        // Second call: must still see the reader, now in its pre-flip wait.
        assertFalse(srcu.synchronize(BLOCKED_PROBE_MS, TimeUnit.MILLISECONDS));
        assertFalse(srcu.synchronize(0, TimeUnit.NANOSECONDS));
        reader.leaveAndJoin();
        assertTrue(srcu.synchronize(SrcuTestSupport.LONG_WAIT_SECONDS, TimeUnit.SECONDS));
        srcu.synchronize();
    }

    @ParameterizedTest
    @EnumSource(Srcu.Mode.class)
    void shouldReclaimSlotsOfDeadThreadsWithoutLosingReaders(final Srcu.Mode mode) {
        final Srcu srcu = newSrcu("reclaim", mode);
        for (int i = 0; i < 8; i++) {
            final Thread t = Thread.ofPlatform().start(() -> srcu.withReadLock(() -> { }));
            join(t);
        }
        final HeldReader live = new HeldReader(srcu, "live");
        assertEquals(9, srcu.registeredSlots());
        // The grace period reclaims the eight dead slots but still waits for the live reader.
        assertFalse(srcu.synchronize(BLOCKED_PROBE_MS, TimeUnit.MILLISECONDS));
        assertEquals(1, srcu.registeredSlots());
        live.leaveAndJoin();
        assertTrue(srcu.synchronize(SrcuTestSupport.LONG_WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(0, srcu.registeredSlots());
    }

    @ParameterizedTest
    @EnumSource(Srcu.Mode.class)
    void shouldKeepTheSectionOfAThreadThatDiedInsideIt(final Srcu.Mode mode) {
        final Srcu srcu = newSrcu("leak", mode);
        final Thread leaker = Thread.ofPlatform().start(srcu::readLock); // never unlocks
        join(leaker);
        assertFalse(srcu.synchronize(BLOCKED_PROBE_MS, TimeUnit.MILLISECONDS));
        assertEquals(0, srcu.registeredSlots(), "dead slot reclaimed");
        assertFalse(srcu.synchronize(BLOCKED_PROBE_MS, TimeUnit.MILLISECONDS), "its count was not lost");
    }

    @ParameterizedTest
    @EnumSource(Srcu.Mode.class)
    void shouldReclaimDeadSlotsOnRegistrationWithoutAGracePeriod(final Srcu.Mode mode) {
        final Srcu srcu = newSrcu("churn", mode);
        for (int i = 0; i < 300; i++) {
            join(Thread.ofPlatform().start(() -> srcu.withReadLock(() -> { })));
        }
        assertTrue(srcu.registeredSlots() < 300, "registry grew without bound: " + srcu.registeredSlots());
        srcu.synchronize();
    }

    @ParameterizedTest
    @EnumSource(Srcu.Mode.class)
    void shouldSerialiseConcurrentSynchronizeCalls(final Srcu.Mode mode) throws Exception {
        final Srcu srcu = newSrcu("writers", mode);
        final HeldReader reader = new HeldReader(srcu, "r1");
        final CompletableFuture<Void> w1 = CompletableFuture.runAsync(srcu::synchronize);
        final CompletableFuture<Void> w2 = CompletableFuture.runAsync(srcu::synchronize);
        Thread.sleep(BLOCKED_PROBE_MS);
        assertFalse(w1.isDone() || w2.isDone());
        reader.leaveAndJoin();
        CompletableFuture.allOf(w1, w2).get(SrcuTestSupport.LONG_WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @EnumSource(Srcu.Mode.class)
    void shouldKeepInterruptStatusAcrossUninterruptibleSynchronize(final Srcu.Mode mode) throws Exception {
        final Srcu srcu = newSrcu("intr", mode);
        final HeldReader reader = new HeldReader(srcu, "r1");
        final CompletableFuture<Boolean> writer = new CompletableFuture<>();
        final Thread w = Thread.ofPlatform().start(() -> {
            srcu.synchronize();
            writer.complete(Thread.currentThread().isInterrupted());
        });
        Thread.sleep(BLOCKED_PROBE_MS);
        w.interrupt();
        Thread.sleep(BLOCKED_PROBE_MS);
        assertFalse(writer.isDone(), "an interrupt must not end the grace period");
        reader.leaveAndJoin();
        assertTrue(writer.get(SrcuTestSupport.LONG_WAIT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void shouldReportModeAndName() {
        final Srcu fenced = Srcu.withFences("drm_unplug_srcu");
        assertEquals(Srcu.Mode.FENCE, fenced.mode());
        assertEquals("drm_unplug_srcu", fenced.name());
        final Srcu auto = new Srcu("auto");
        assertEquals(Membarrier.instance().isPresent() ? Srcu.Mode.MEMBARRIER : Srcu.Mode.FENCE, auto.mode());
        assertEquals(42, (int) auto.withReadLock(() -> auto.inReadSection() ? 42 : 0));
    }
}
