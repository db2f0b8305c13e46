package dev.gpuemu.machine.mem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.machine.GuestErrors;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/// Reference-counted pages: an allocation holds one reference, each pin another.
class SystemMemoryPinTest {
    private final SystemMemory mem = new SystemMemory(0, 16 * SystemMemory.PAGE_SIZE, new GuestErrors());

    @AfterEach
    void tearDown() {
        mem.close();
    }

    @Test
    void shouldKeepPinnedPagesOutOfThePoolAfterTheirAllocationIsFreed() {
        PageRun run = mem.allocContiguous(4, "gem");
        Pin pin = mem.pin(new PageRun(run.physAddr() + SystemMemory.PAGE_SIZE, 2), "dma");
        assertEquals(2, mem.refCount(run.physAddr() + SystemMemory.PAGE_SIZE));
        mem.free(run);
        assertEquals(2, mem.pagesInUse(), "the two pinned pages stay in use");
        assertEquals(0, mem.refCount(run.physAddr()));
        assertEquals(List.of("pinned by dma: 2 pages at 0x1000"), mem.leaks());
        pin.close();
        assertEquals(0, mem.pagesInUse());
        assertTrue(mem.leaks().isEmpty());
        assertEquals(4, mem.peakPagesInUse());
    }

    @Test
    void shouldNotReuseAPinnedPageForANewAllocation() {
        PageRun all = mem.allocContiguous(16, "all");
        Pin pin = mem.pin(new PageRun(all.physAddr(), 1), "dma");
        mem.free(all);
        assertNull(mem.allocContiguous(16, "again"), "page 0 is still pinned");
        PageRun rest = mem.allocContiguous(15, "rest");
        assertEquals(SystemMemory.PAGE_SIZE, rest.physAddr());
        mem.free(rest);
        pin.close();
    }

    @Test
    void shouldRejectPinOfFreePagesAndSecondUnpin() {
        assertThrows(IllegalStateException.class, () -> mem.pin(new PageRun(0, 1), "x"));
        PageRun run = mem.allocContiguous(1, "gem");
        Pin pin = mem.pin(run, "x");
        pin.close();
        assertThrows(IllegalStateException.class, pin::close);
        assertThrows(IllegalStateException.class, () -> mem.pin(new PageRun(15 * SystemMemory.PAGE_SIZE, 2), "x"));
        mem.free(run);
    }
}
