package dev.gpuemu.machine.mem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.machine.GuestErrors;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SystemMemoryTest {
    private static final long BASE = 0x8000_0000L;
    private static final int PAGE = SystemMemory.PAGE_SIZE;

    private final SystemMemory mem = new SystemMemory(BASE, 16L * PAGE, new GuestErrors());
    private boolean closed;

    @AfterEach
    void tearDown() {
        if (!closed) {
            mem.close();
        }
    }

    private static long page(int n) {
        return BASE + (long) n * PAGE;
    }

    @Test
    void shouldDescribeItsGeometry() {
        assertEquals(BASE, mem.base());
        assertEquals(16L * PAGE, mem.size());
        assertEquals(16, mem.totalPages());
    }

    @Test
    void shouldAllocateContiguousRunsFirstFit() {
        PageRun a = mem.allocContiguous(4, "a");
        PageRun b = mem.allocContiguous(4, "b");
        PageRun c = mem.allocContiguous(4, "c");
        assertEquals(new PageRun(page(0), 4), a);
        assertEquals(new PageRun(page(4), 4), b);
        assertEquals(new PageRun(page(8), 4), c);

        mem.free(b);
        // free: pages 4..7 and 12..15. 2 pages go to 4; 3 pages do not fit in 6..7 and go to 12;
        // 2 more pages then fill 6..7
        assertEquals(new PageRun(page(4), 2), mem.allocContiguous(2, "d"));
        assertEquals(new PageRun(page(12), 3), mem.allocContiguous(3, "e"));
        assertEquals(new PageRun(page(6), 2), mem.allocContiguous(2, "f"));
        assertEquals(4 * PAGE, a.bytes());
    }

    @Test
    void shouldReturnNullAndAllocateNothingWhenNoRunIsLongEnough() {
        List<PageRun> singles = mem.allocPages(16, "all");
        assertEquals(List.of(new PageRun(page(0), 16)), singles);
        mem.free(singles.getFirst());
        PageRun[] pages = new PageRun[16];
        for (int i = 0; i < 16; i++) {
            pages[i] = mem.allocContiguous(1, "p" + i);
        }
        for (int i = 0; i < 16; i += 2) {
            mem.free(pages[i]); // 8 free pages, none adjacent
        }
        assertNull(mem.allocContiguous(2, "pair"));
        assertEquals(8, mem.pagesInUse(), "a failed allocation allocates nothing");
    }

    @Test
    void shouldCoalesceAdjacentPagesOfScatteredAllocation() {
        PageRun[] pages = new PageRun[8];
        for (int i = 0; i < 8; i++) {
            pages[i] = mem.allocContiguous(1, "p" + i);
        }
        mem.free(pages[1]);
        mem.free(pages[2]);
        mem.free(pages[5]);

        List<PageRun> runs = mem.allocPages(5, "scatter");

        assertEquals(List.of(new PageRun(page(1), 2), new PageRun(page(5), 1), new PageRun(page(8), 2)), runs);
        assertEquals(10, mem.pagesInUse());
    }

    @Test
    void shouldReturnEmptyAndAllocateNothingWhenTooFewPagesAreFree() {
        mem.allocContiguous(10, "big");
        assertEquals(List.of(), mem.allocPages(7, "too-many"));
        assertEquals(10, mem.pagesInUse());
        assertEquals(List.of("big: 10 pages at 0x80000000"), mem.leaks());
        assertEquals(6, mem.allocPages(6, "rest").stream().mapToInt(PageRun::pages).sum());
        assertEquals(16, mem.pagesInUse());
    }

    @Test
    void shouldThrowOnDoubleFreeForeignRunOrSubRun() {
        PageRun r = mem.allocContiguous(4, "r");
        assertThrows(IllegalStateException.class, () -> mem.free(new PageRun(r.physAddr(), 2)), "sub-run");
        assertThrows(IllegalStateException.class, () -> mem.free(new PageRun(page(8), 1)), "never allocated");
        assertThrows(IllegalStateException.class, () -> mem.free(new PageRun(0x1000, 1)), "outside RAM");
        mem.free(r);
        assertThrows(IllegalStateException.class, () -> mem.free(r), "double free");
        assertEquals(0, mem.pagesInUse());
    }

    @Test
    void shouldTrackPagesInUseAndPeak() {
        PageRun a = mem.allocContiguous(3, "a");
        List<PageRun> b = mem.allocPages(5, "b");
        assertEquals(8, mem.pagesInUse());
        mem.free(a);
        b.forEach(mem::free);
        assertEquals(0, mem.pagesInUse());
        assertEquals(8, mem.peakPagesInUse());
        mem.allocContiguous(2, "c");
        assertEquals(8, mem.peakPagesInUse());
    }

    @Test
    void shouldListLiveAllocationsAsLeaksWithOwnerAndSize() {
        mem.allocContiguous(2, "drm:gem#1");
        PageRun freed = mem.allocContiguous(1, "freed");
        mem.allocContiguous(3, "edu:dma-buf");
        mem.free(freed);
        assertEquals(List.of("drm:gem#1: 2 pages at 0x80000000", "edu:dma-buf: 3 pages at 0x80003000"), mem.leaks());
    }

    @Test
    void shouldBoundsCheckDirectMapAndShareItsBytes() {
        MemorySegment s = mem.direct(page(1), PAGE);
        s.set(ValueLayout.JAVA_INT_UNALIGNED, 0, 0x1234_5678);
        assertEquals(0x1234_5678, mem.direct(page(1), 4).get(ValueLayout.JAVA_INT_UNALIGNED, 0));
        mem.direct(page(15), PAGE); // the last page is fine
        assertThrows(IndexOutOfBoundsException.class, () -> mem.direct(page(15), PAGE + 1));
        assertThrows(IndexOutOfBoundsException.class, () -> mem.direct(BASE - 1, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> mem.direct(page(16), 1));
        assertThrows(IndexOutOfBoundsException.class, () -> mem.direct(page(0), -1));
    }

    @Test
    void shouldInvalidateDirectViewsOnCloseAndRefuseSecondClose() {
        MemorySegment s = mem.direct(page(0), 8);
        mem.close();
        closed = true;
        assertThrows(IllegalStateException.class, () -> s.get(ValueLayout.JAVA_BYTE, 0));
        assertThrows(IllegalStateException.class, mem::close);
        assertThrows(IllegalStateException.class, () -> mem.allocContiguous(1, "late"));
    }

    @Test
    void shouldRejectBadGeometry() {
        GuestErrors e = new GuestErrors();
        assertThrows(IllegalArgumentException.class, () -> new SystemMemory(0x800, PAGE, e));
        assertThrows(IllegalArgumentException.class, () -> new SystemMemory(0, PAGE + 1, e));
        assertThrows(IllegalArgumentException.class, () -> new SystemMemory(0, 0, e));
        assertThrows(IllegalArgumentException.class, () -> mem.allocContiguous(0, "zero"));
        assertTrue(mem.leaks().isEmpty());
    }
}
