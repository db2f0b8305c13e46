package dev.gpuemu.machine.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/// Same seed and script, same trace: FAST mode with one driving thread is deterministic.
@Timeout(20)
class SimClockDeterminismTest {
    private static final int EVENTS_PER_DEVICE = 400;

    /// A device that re-arms itself with random delays from its own seed stream. Delays are
    /// multiples of 100 ns, so devices often tie at the same time and the sequence number decides.
    private static final class Ticker implements Runnable {
        private final SimClock clock;
        private final String name;
        private final RandomGenerator random;
        private final List<String> trace;
        private int count;

        Ticker(SimClock clock, String name, SeedSequence seeds, List<String> trace) {
            this.clock = clock;
            this.name = name;
            this.random = seeds.random(name);
            this.trace = trace;
        }

        void start() {
            clock.schedule(delay(), this);
        }

        @Override
        public void run() {
            trace.add(clock.nowNs() + " " + name + " " + count);
            if (++count < EVENTS_PER_DEVICE) {
                clock.schedule(delay(), this);
                if (random.nextInt(8) == 0) {
                    clock.schedule(0, () -> trace.add(clock.nowNs() + " " + name + " irq"));
                }
            }
        }

        private long delay() {
            return 100L * random.nextInt(0, 10);
        }
    }

    private static List<String> runScript(long seed) {
        List<String> trace = new ArrayList<>(); // written only on the clock thread
        SimClock clock = new SimClock(ClockMode.FAST);
        SeedSequence seeds = new SeedSequence(seed);
        for (String dev : List.of("gpu", "dma", "uart", "timer")) {
            new Ticker(clock, dev, seeds, trace).start();
        }
        for (int i = 0; i < 20; i++) {
            clock.advance(10_000); // a driving thread stepping the clock, as qtest does
        }
        clock.close(); // joins the clock thread: its writes to trace happen-before this return
        return trace;
    }

    @Test
    void shouldProduceIdenticalTracesForSameSeed() {
        List<String> first = runScript(0xC0FFEE);
        List<String> second = runScript(0xC0FFEE);
        assertTrue(first.size() > 500, "script produced " + first.size() + " events");
        assertEquals(first, second);
    }

    @Test
    void shouldProduceDifferentTracesForDifferentSeeds() {
        assertNotEquals(runScript(1), runScript(2));
    }
}
