package dev.gpuemu.machine.irq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.machine.GuestErrors;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/// Deliveries go into a queue that the test drains by hand, standing in for the clock thread.
class InterruptControllerTest {
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private final InterruptController pic = new InterruptController(8, queue::add, new GuestErrors());
    private final List<Integer> handled = new ArrayList<>();
    private IntConsumer onIrq = n -> { };

    private void installEntry() {
        pic.setEntry(n -> {
            handled.add(n);
            onIrq.accept(n);
        });
    }

    private void runOne() {
        queue.remove().run();
    }

    @Test
    void shouldNotDeliverBeforeEntryIsInstalledThenDeliverHighLinesOnInstall() {
        pic.line(3).raise();
        assertTrue(queue.isEmpty());
        installEntry();
        assertEquals(1, queue.size());
        runOne();
        assertEquals(List.of(3), handled);
    }

    @Test
    void shouldRedeliverWhileLineStaysHigh() {
        installEntry();
        IrqLine line = pic.line(2);
        line.raise();
        runOne();
        assertEquals(1, queue.size(), "still high after the handler: posted again");
        runOne();
        assertEquals(2, pic.deliveries(2));

        onIrq = n -> pic.line(n).lower(); // the handler quiets the device
        runOne();
        assertTrue(queue.isEmpty(), "lowered by the handler: no further delivery");
        assertEquals(3, pic.deliveries(2));
        assertEquals(List.of(2, 2, 2), handled);
    }

    @Test
    void shouldNotDeliverWhileMaskedAndDeliverOnUnmask() {
        installEntry();
        pic.mask(5);
        assertTrue(pic.isMasked(5));
        pic.line(5).raise();
        assertTrue(queue.isEmpty());
        assertTrue(pic.level(5), "the level is recorded even while masked");

        onIrq = n -> pic.line(n).lower();
        pic.unmask(5);
        assertEquals(1, queue.size());
        runOne();
        assertEquals(List.of(5), handled);
    }

    @Test
    void shouldDropDeliveryWhoseLineWasMaskedOrLoweredBeforeItRan() {
        installEntry();
        pic.line(1).raise();
        pic.mask(1);
        runOne();
        assertEquals(0, pic.deliveries(1), "masked before delivery: no call");
        assertTrue(queue.isEmpty(), "and no repost while masked");

        pic.unmask(1);
        pic.line(1).lower();
        runOne();
        assertEquals(0, pic.deliveries(1), "lowered before delivery: no spurious call");
        assertTrue(queue.isEmpty());
    }

    @Test
    void shouldKeepAtMostOneDeliveryOutstandingPerLine() {
        installEntry();
        pic.line(4).raise();
        pic.line(4).lower();
        pic.line(4).raise();
        pic.line(4).raise();
        pic.mask(4);
        pic.unmask(4);
        assertEquals(1, queue.size());
        pic.line(6).raise();
        assertEquals(2, queue.size(), "other lines post independently");
    }

    @Test
    void shouldNotDeliverOnLowering() {
        installEntry();
        pic.line(0).lower();
        pic.line(0).set(false);
        assertTrue(queue.isEmpty());
        pic.line(0).set(true);
        assertEquals(1, queue.size());
        assertTrue(pic.line(0).level());
        assertEquals(0, pic.line(0).number());
    }

    @Test
    void shouldRefuseSecondEntryAndUnknownLines() {
        installEntry();
        assertThrows(IllegalStateException.class, () -> pic.setEntry(n -> { }));
        assertThrows(IndexOutOfBoundsException.class, () -> pic.line(8));
        assertThrows(IndexOutOfBoundsException.class, () -> pic.mask(-1));
        assertFalse(pic.isMasked(0), "lines start unmasked");
    }

    @Test
    void shouldStopDeliveringWhenEntryThrows() {
        pic.setEntry(n -> {
            throw new IllegalStateException("kernel bug");
        });
        pic.line(7).raise();
        assertThrows(IllegalStateException.class, this::runOne);
        assertTrue(queue.isEmpty());
        pic.line(7).raise();
        assertEquals(1, queue.size(), "the line can be posted again afterwards");
    }

    @Test
    void shouldNeverQueueTwoDeliveriesForOneLineUnderConcurrentRaises() throws InterruptedException {
        ConcurrentLinkedQueue<Runnable> shared = new ConcurrentLinkedQueue<>();
        InterruptController c = new InterruptController(1, shared::add, new GuestErrors());
        c.setEntry(n -> { });
        CountDownLatch go = new CountDownLatch(1);
        Thread[] ts = new Thread[3];
        for (int t = 0; t < ts.length; t++) {
            ts[t] = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 20_000; i++) {
                    c.line(0).set((i & 1) == 0);
                }
            });
            ts[t].start();
        }
        go.countDown();
        int maxQueued = 0;
        while (ts[0].isAlive() || ts[1].isAlive() || ts[2].isAlive()) {
            maxQueued = Math.max(maxQueued, shared.size());
            Runnable r = shared.poll();
            if (r != null) {
                r.run();
            }
        }
        for (Thread t : ts) {
            t.join();
        }
        maxQueued = Math.max(maxQueued, shared.size());
        assertTrue(maxQueued <= 1, "queued " + maxQueued);
    }
}
