package dev.gpuemu.machine.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/// The 4-ary heap against a sorted reference set, under random adds, polls and removals.
class EventQueueTest {
    private static final Comparator<Event> ORDER =
            Comparator.<Event>comparingLong(e -> e.when).thenComparingLong(e -> e.seq);

    @Test
    void shouldPollInTimeThenSequenceOrderUnderRandomAddsAndRemovals() {
        SplittableRandom random = new SplittableRandom(1234);
        EventQueue queue = new EventQueue();
        TreeSet<Event> reference = new TreeSet<>(ORDER);
        List<Event> live = new ArrayList<>();
        long seq = 0;
        for (int step = 0; step < 20_000; step++) {
            int op = random.nextInt(10);
            if (op < 5 || live.isEmpty()) {
                Event e = new Event(null, random.nextLong(0, 200), seq++, () -> { });
                queue.add(e);
                reference.add(e);
                live.add(e);
            } else if (op < 8) {
                Event expected = reference.pollFirst();
                assertSame(expected, queue.poll());
                live.remove(expected);
                assertEquals(-1, expected.index);
            } else {
                Event victim = live.remove(random.nextInt(live.size()));
                reference.remove(victim);
                assertTrue(queue.remove(victim));
                assertFalse(queue.remove(victim), "second removal finds nothing");
            }
            assertEquals(reference.size(), queue.size());
            assertSame(reference.isEmpty() ? null : reference.first(), queue.peek());
        }
    }

    @Test
    void shouldForgetEveryEventOnClear() {
        EventQueue queue = new EventQueue();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Event e = new Event(null, i, i, () -> { });
            events.add(e);
            queue.add(e);
        }
        queue.clear();
        assertEquals(0, queue.size());
        assertNull(queue.peek());
        for (Event e : events) {
            assertEquals(-1, e.index);
            assertNull(e.action);
        }
    }
}
