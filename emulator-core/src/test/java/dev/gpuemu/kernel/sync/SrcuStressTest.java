package dev.gpuemu.kernel.sync;

import static dev.gpuemu.kernel.sync.SrcuTestSupport.join;
import static dev.gpuemu.kernel.sync.SrcuTestSupport.newSrcu;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/// Publish / synchronize / free under load: readers must never see a freed object inside a
/// section. Runs `gpuemu.stress.seconds` (default 2) per mode.
class SrcuStressTest {
    private static final int READERS = 3;

    /// The published object; `freed` is set only after a grace period.
    private static final class Box {
        final long generation;
        volatile boolean freed;

        Box(final long generation) {
            this.generation = generation;
        }
    }

    private volatile Box current = new Box(0);

    @ParameterizedTest
    @EnumSource(Srcu.Mode.class)
    void shouldNeverExposeAFreedObjectInsideASection(final Srcu.Mode mode) {
        final Srcu srcu = newSrcu("stress", mode);
        final long seconds = Long.getLong("gpuemu.stress.seconds", 2);
        final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        final AtomicLong violations = new AtomicLong();
        final AtomicLong sections = new AtomicLong();
        final List<Thread> threads = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
            threads.add(Thread.ofPlatform().name("reader-" + r).start(() -> {
                long n = 0;
                while (System.nanoTime() - end < 0) {
                    n += readOnce(srcu, violations, (n & 7) == 0);
                }
                sections.addAndGet(n);
            }));
        }
        // Short-lived readers: registration and dead-slot reclamation race the grace periods.
        threads.add(Thread.ofPlatform().name("churn").start(() -> {
            while (System.nanoTime() - end < 0) {
                join(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 100; i++) {
                        readOnce(srcu, violations, false);
                    }
                }));
            }
        }));
        long gracePeriods = 0;
        while (System.nanoTime() - end < 0) {
            final Box old = current;
            current = new Box(old.generation + 1);
            srcu.synchronize();
            old.freed = true;
            gracePeriods++;
        }
        threads.forEach(SrcuTestSupport::join);
        assertEquals(0, violations.get(), "readers saw freed objects");
        assertTrue(gracePeriods > 10, "too few grace periods to mean anything: " + gracePeriods);
        assertTrue(sections.get() > 1000, "too few sections to mean anything: " + sections.get());
    }

    /// One section (optionally with a nested one); returns 1.
    private int readOnce(final Srcu srcu, final AtomicLong violations, final boolean nest) {
        final int idx = srcu.readLock();
        try {
            final Box b = current;
            for (int i = 0; i < 16; i++) {
                if (b.freed) {
                    violations.incrementAndGet();
                    break;
                }
                Thread.onSpinWait();
            }
            if (nest) {
                srcu.withReadLock(() -> {
                    if (b.freed) {
                        violations.incrementAndGet();
                    }
                });
            }
        } finally {
            srcu.readUnlock(idx);
        }
        return 1;
    }
}
