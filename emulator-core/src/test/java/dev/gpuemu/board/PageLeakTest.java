package dev.gpuemu.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.log.LogEntry;
import dev.gpuemu.machine.mem.PageRun;
import java.util.List;
import org.junit.jupiter.api.Test;

/// Leak reporting at machine shutdown: a deliberate leak is reported with its page count; with
/// `gpuemu.failOnLeak` (set for every test JVM) close throws after releasing the machine.
class PageLeakTest {

    private static PageLeakException closeExpectingLeak(Machine m) {
        try {
            m.close();
        } catch (PageLeakException e) {
            return e;
        }
        throw new AssertionError("the leak was not reported");
    }

    @Test
    void shouldReportADeliberateLeakWithItsPageCount() throws KernelException {
        assertTrue(Boolean.getBoolean(Machine.FAIL_ON_LEAK), "the test JVM runs with leak checking on");
        Machine m = Machine.builder().build();
        m.boot();
        m.kernel().hw().memory().allocContiguous(3, "deliberate-leak");
        PageLeakException e = closeExpectingLeak(m);
        assertEquals(3, e.report().leakedPages());
        assertEquals(List.of("deliberate-leak: 3 pages at 0x0"), e.report().leaks());
        assertFalse(m.report().clean());
        assertTrue(m.kernel().log().tail(10).stream().map(LogEntry::message)
                .anyMatch("page pool: 3 page(s) leaked at shutdown"::equals));
    }

    @Test
    void shouldReportPagesPinnedBeyondTheirAllocation() throws KernelException {
        Machine m = Machine.builder().build();
        m.boot();
        var mem = m.kernel().hw().memory();
        PageRun run = mem.allocContiguous(2, "gem");
        mem.pin(run, "forgotten-dma");
        mem.free(run);
        PageLeakException e = closeExpectingLeak(m);
        assertEquals(2, e.report().leakedPages());
        assertEquals(List.of("pinned by forgotten-dma: 2 pages at 0x0"), e.report().leaks());
    }

    @Test
    void shouldReportNoLeakAfterBindAndShutdown() throws KernelException {
        Machine m = Machine.builder().build();
        m.boot();
        m.close();
        assertTrue(m.report().clean());
        assertEquals(0, m.report().leakedPages());
    }
}
