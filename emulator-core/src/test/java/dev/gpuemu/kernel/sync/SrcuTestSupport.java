package dev.gpuemu.kernel.sync;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/// Helpers shared by the SRCU tests: domain creation per mode and a reader thread that holds a
/// section until told to leave.
final class SrcuTestSupport {
    static final long LONG_WAIT_SECONDS = 10;
    /// Threads for writers and foreign callers (the common pool has one worker on 2 CPUs).
    static final java.util.concurrent.ExecutorService EXECUTOR = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "srcu-test");
        t.setDaemon(true);
        return t;
    });

    private SrcuTestSupport() {
    }

    /// A domain in `mode`; MEMBARRIER tests are skipped where membarrier(2) is unusable.
    static Srcu newSrcu(final String name, final Srcu.Mode mode) {
        final Srcu srcu = mode == Srcu.Mode.FENCE ? Srcu.withFences(name) : new Srcu(name);
        assumeTrue(srcu.mode() == mode, "membarrier(2) not usable on this machine");
        return srcu;
    }

    static void await(final CountDownLatch latch) {
        try {
            if (!latch.await(LONG_WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out waiting for a latch");
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static void join(final Thread t) {
        try {
            t.join(TimeUnit.SECONDS.toMillis(LONG_WAIT_SECONDS));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        if (t.isAlive()) {
            throw new AssertionError(t.getName() + " did not finish");
        }
    }

    /// A thread that enters a section, reports it, holds it until [#leave()], then exits it.
    static final class HeldReader {
        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch leave = new CountDownLatch(1);
        private final Thread thread;
        private volatile boolean leaving;

        HeldReader(final Srcu srcu, final String name) {
            thread = Thread.ofPlatform().name(name).start(() -> {
                final int idx = srcu.readLock();
                entered.countDown();
                await(leave);
                leaving = true; // ORDERING: volatile store before the unlock's release store
                srcu.readUnlock(idx);
            });
            await(entered);
        }

        /// True once the reader has decided to leave (set just before its readUnlock).
        boolean leaving() {
            return leaving;
        }

        void leave() {
            leave.countDown();
        }

        void leaveAndJoin() {
            leave();
            join(thread);
        }
    }
}
