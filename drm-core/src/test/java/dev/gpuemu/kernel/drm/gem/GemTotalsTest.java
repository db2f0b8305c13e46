package dev.gpuemu.kernel.drm.gem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.gpuemu.board.Machine;
import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.drm.gem.GemTestSupport.PlainObject;
import org.junit.jupiter.api.Test;

/// The kernel-wide GEM totals sum every device of a kernel, including one a rebind replaced.
class GemTotalsTest {

    @Test
    void shouldCountObjectsOfEveryDeviceIncludingOneThatWasReplaced() throws Exception {
        try (Machine m = Machine.builder().build()) {
            m.boot();
            Kernel k = m.kernel();
            GemTotals totals = GemTotals.of(k);
            assertSame(totals, GemTotals.of(k), "one per kernel");
            long base = totals.objectsAlive();
            GemDevice first = GemDevice.of(k, "gpu");
            PlainObject leaked = new PlainObject(first, 2 * GemTestSupport.PAGE);
            PlainObject freed = new PlainObject(first, GemTestSupport.PAGE);
            // "Rebind": a new device of the same name; the first one's counters are out of reach.
            GemDevice second = GemDevice.of(k, "gpu");
            PlainObject current = new PlainObject(second, GemTestSupport.PAGE);
            assertEquals(base + 3, totals.objectsAlive());
            assertEquals(0, second.objectsAlive() - 1, "the new device sees only its own object");
            freed.put();
            current.put();
            assertEquals(base + 1, totals.objectsAlive(), "the first device's leaked object is still counted");
            leaked.put();
            assertEquals(base, totals.objectsAlive());
        }
    }

    @Test
    void shouldCountResidentShmemPagesAcrossDevices() throws Exception {
        try (Machine m = Machine.builder().build()) {
            m.boot();
            Kernel k = m.kernel();
            GemTotals totals = GemTotals.of(k);
            long base = totals.pagesResident();
            ShmemObject a = new ShmemObject(GemDevice.of(k, "a"), 3L * GemTestSupport.PAGE);
            ShmemObject b = new ShmemObject(GemDevice.of(k, "b"), 2L * GemTestSupport.PAGE);
            a.pin();
            b.pin();
            assertEquals(base + 5, totals.pagesResident());
            a.unpin();
            b.unpin();
            a.put();
            b.put();
            assertEquals(base, totals.pagesResident());
        }
    }
}
