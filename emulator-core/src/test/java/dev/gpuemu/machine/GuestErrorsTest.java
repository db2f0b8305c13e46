package dev.gpuemu.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.machine.GuestErrors.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GuestErrorsTest {

    @Test
    void shouldCountPerKindAndInTotal() {
        GuestErrors e = new GuestErrors();
        e.report(Kind.UNASSIGNED_ACCESS, "bus", "read");
        e.report(Kind.UNASSIGNED_ACCESS, "bus", "write", 0x1000);
        e.report(Kind.DMA_OUT_OF_RANGE, "dma:edu", "beyond RAM");

        assertEquals(2, e.count(Kind.UNASSIGNED_ACCESS));
        assertEquals(1, e.count(Kind.DMA_OUT_OF_RANGE));
        assertEquals(0, e.count(Kind.PCI_CONFIG));
        assertEquals(3, e.total());
    }

    @Test
    void shouldReturnImmutableSnapshotWithEveryKind() {
        GuestErrors e = new GuestErrors();
        e.report(Kind.DEVICE, "edu", "bad command");
        Map<Kind, Long> snap = e.snapshot();
        assertEquals(Kind.values().length, snap.size());
        assertEquals(1L, snap.get(Kind.DEVICE));
        assertEquals(0L, snap.get(Kind.READ_ONLY_WRITE));
        assertThrows(UnsupportedOperationException.class, () -> snap.put(Kind.DEVICE, 5L));
        e.report(Kind.DEVICE, "edu", "again");
        assertEquals(1L, snap.get(Kind.DEVICE), "a snapshot does not follow later reports");
    }

    @Test
    void shouldLogFirstTenThenEveryThousandthWithSuppressedCount() {
        GuestErrors e = new GuestErrors();
        List<String> lines = new ArrayList<>();
        e.setSink(lines::add);
        for (int i = 0; i < 2000; i++) {
            e.report(Kind.UNALIGNED_ACCESS, "regs", "unaligned read", 0x12);
        }
        assertEquals(2000, e.count(Kind.UNALIGNED_ACCESS), "counting never stops");
        assertEquals(12, lines.size());
        assertEquals("guest error UNALIGNED_ACCESS [regs]: unaligned read at 0x12", lines.get(0));
        assertTrue(lines.get(10).endsWith("(989 suppressed)"), lines.get(10));
        assertTrue(lines.get(11).endsWith("(999 suppressed)"), lines.get(11));
    }

    @Test
    void shouldRateLimitEachKindSeparately() {
        GuestErrors e = new GuestErrors();
        List<String> lines = new ArrayList<>();
        e.setSink(lines::add);
        for (int i = 0; i < 50; i++) {
            e.report(Kind.UNASSIGNED_ACCESS, "bus", "read");
        }
        e.report(Kind.PCI_CONFIG, "pci", "bad offset");
        assertEquals(11, lines.size(), "10 of the first kind, the first of the second");
        assertTrue(lines.get(10).contains("PCI_CONFIG"));
    }

    @Test
    void shouldCountWithoutSinkAndStopLoggingWhenSinkRemoved() {
        GuestErrors e = new GuestErrors();
        List<String> lines = new ArrayList<>();
        e.setSink(lines::add);
        e.report(Kind.DEVICE, "x", "one");
        e.setSink(null);
        e.report(Kind.DEVICE, "x", "two");
        assertEquals(1, lines.size());
        assertEquals(2, e.count(Kind.DEVICE));
    }

    @Test
    void shouldCountExactlyUnderConcurrentReports() throws InterruptedException {
        GuestErrors e = new GuestErrors();
        Thread[] ts = new Thread[4];
        for (int t = 0; t < ts.length; t++) {
            ts[t] = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    e.report(Kind.UNASSIGNED_ACCESS, "bus", "read");
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        assertEquals(40_000, e.total());
    }
}
