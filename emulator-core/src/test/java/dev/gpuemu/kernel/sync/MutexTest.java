package dev.gpuemu.kernel.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/// The spinning [Mutex] is still a mutex: exclusion under contention, reentrancy, and a waiter
/// that outlasts the spin blocks until the owner unlocks.
@Timeout(60)
class MutexTest {
    private long counter; // guarded by the mutex under test

    @Test
    void shouldKeepEveryIncrementOfTwoContendingThreads() throws Exception {
        Mutex m = new Mutex();
        int perThread = 500_000;
        Runnable body = () -> {
            for (int i = 0; i < perThread; i++) {
                m.lock();
                try {
                    counter++;
                } finally {
                    m.unlock();
                }
            }
        };
        Thread a = Thread.ofPlatform().start(body);
        Thread b = Thread.ofPlatform().start(body);
        a.join();
        b.join();
        assertEquals(2L * perThread, counter);
        assertFalse(m.isLocked());
    }

    @Test
    void shouldBeReentrantAndBlockAWaiterBeyondTheSpinUntilUnlocked() throws Exception {
        Mutex m = new Mutex();
        m.lock();
        m.lock();
        assertEquals(2, m.getHoldCount());
        CountDownLatch acquired = new CountDownLatch(1);
        Thread waiter = Thread.ofPlatform().start(() -> {
            m.lock();
            try {
                acquired.countDown();
            } finally {
                m.unlock();
            }
        });
        assertFalse(acquired.await(100, TimeUnit.MILLISECONDS), "the waiter must not get a held mutex");
        assertTrue(m.hasQueuedThread(waiter), "after its spin the waiter blocks in the queue");
        m.unlock();
        assertFalse(acquired.await(50, TimeUnit.MILLISECONDS), "still held once");
        m.unlock();
        assertTrue(acquired.await(10, TimeUnit.SECONDS));
        waiter.join();
    }
}
