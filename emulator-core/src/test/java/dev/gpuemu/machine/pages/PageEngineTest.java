package dev.gpuemu.machine.pages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.machine.GuestErrors;
import dev.gpuemu.machine.bus.AccessSpec;
import dev.gpuemu.machine.bus.MmioRegion;
import dev.gpuemu.machine.mem.PageRun;
import dev.gpuemu.machine.mem.SystemMemory;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/// Scatter-gather helpers: adjacent runs coalesce into one call, differently split lists are
/// walked piece by piece, and every helper equals a straightforward page-by-page walk, with the
/// vector and the scalar implementation alike.
class PageEngineTest {
    private static final int PAGE = SystemMemory.PAGE_SIZE;
    private static final long BASE = 0x10_0000L;
    private static final int PAGES = 64;

    private final SystemMemory mem = new SystemMemory(BASE, (long) PAGES * PAGE, new GuestErrors());
    private final SplittableRandom rnd = new SplittableRandom(0x56);

    @AfterEach
    void closeMemory() {
        mem.close();
    }

    private static PageRun run(int firstPage, int pages) {
        return new PageRun(BASE + (long) firstPage * PAGE, pages);
    }

    private void randomizeRam() {
        byte[] bytes = new byte[PAGES * PAGE];
        rnd.nextBytes(bytes);
        mem.direct(BASE, bytes.length).copyFrom(MemorySegment.ofArray(bytes));
    }

    /// The reference walk: the logical byte stream of `sg`, page by page.
    private byte[] gather(List<PageRun> sg) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (PageRun r : sg) {
            for (int p = 0; p < r.pages(); p++) {
                out.writeBytes(mem.direct(r.physAddr() + (long) p * PAGE, PAGE).toArray(ValueLayout.JAVA_BYTE));
            }
        }
        return out.toByteArray();
    }

    /// The physical address of logical byte `offset` of `sg`.
    private static long physical(List<PageRun> sg, long offset) {
        for (PageRun r : sg) {
            if (offset < r.bytes()) {
                return r.physAddr() + offset;
            }
            offset -= r.bytes();
        }
        throw new IndexOutOfBoundsException();
    }

    /// `total` distinct pages, shuffled, cut into runs of random lengths; runs that happen to be
    /// (and some forced to be) physically adjacent exercise coalescing.
    private List<PageRun> randomSg(List<Integer> pool, int total) {
        List<PageRun> sg = new ArrayList<>();
        int used = 0;
        while (used < total) {
            int first = pool.get(used);
            int n = 1;
            while (used + n < total && n < 4 && pool.get(used + n) == first + n) {
                n++;
            }
            if (n > 1 && rnd.nextBoolean()) { // split an adjacent stretch into two runs
                int cut = 1 + rnd.nextInt(n - 1);
                sg.add(run(first, cut));
                sg.add(run(first + cut, n - cut));
            } else {
                sg.add(run(first, n));
            }
            used += n;
        }
        return sg;
    }

    /// A pool of all pages: shuffled in blocks of 1..4 consecutive pages.
    private List<Integer> shuffledPages() {
        List<List<Integer>> blocks = new ArrayList<>();
        for (int p = 0; p < PAGES; ) {
            int n = Math.min(PAGES - p, 1 + rnd.nextInt(4));
            List<Integer> b = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                b.add(p + k);
            }
            blocks.add(b);
            p += n;
        }
        Collections.shuffle(blocks, new java.util.Random(rnd.nextLong()));
        List<Integer> pool = new ArrayList<>();
        blocks.forEach(pool::addAll);
        return pool;
    }

    @Test
    void singletonsAreTheTwoImplementations() {
        assertSame(PageEngine.vector(), PageEngine.vector());
        assertSame(PageEngine.scalar(), PageEngine.scalar());
        assertTrue(PageEngine.vector() instanceof VectorPageOps);
        assertTrue(PageEngine.scalar() instanceof ScalarPageOps);
    }

    @Test
    void adjacentRunsCoalesceIntoOneCallPerContiguousStretch() {
        randomizeRam();
        byte[] before = gather(List.of(run(0, PAGES)));
        List<PageRun> sg = List.of(run(0, 2), run(2, 3), run(10, 1), run(11, 1), run(5, 1), run(4, 1));
        CountingPageOps spy = new CountingPageOps(PageEngine.vector());
        PageEngine.zero(spy, mem, sg);
        assertEquals(List.of("zero 20480", "zero 8192", "zero 4096", "zero 4096"), spy.calls);
        assertTrue(PageEngine.isZero(PageEngine.scalar(), mem, sg));
        byte[] after = gather(List.of(run(0, PAGES)));
        for (int p = 0; p < PAGES; p++) {
            boolean inSg = p < 6 || p == 10 || p == 11;
            byte[] want = inSg ? new byte[PAGE] : java.util.Arrays.copyOfRange(before, p * PAGE, (p + 1) * PAGE);
            assertArrayEquals(want, java.util.Arrays.copyOfRange(after, p * PAGE, (p + 1) * PAGE), "page " + p);
        }
        spy.calls.clear();
        PageEngine.fill64(spy, mem, sg, 7);
        PageEngine.fillPattern(spy, mem, sg, 7);
        PageEngine.verifyPattern(spy, mem, sg, 7);
        PageEngine.crc32c(spy, mem, sg);
        PageEngine.isZero(spy, mem, sg);
        List<String> want = new ArrayList<>();
        for (String op : List.of("fill64", "fillPattern", "verifyPattern", "crc32c")) {
            for (int bytes : new int[] {5 * PAGE, 2 * PAGE, PAGE, PAGE}) {
                want.add(op + " " + bytes);
            }
        }
        want.add("isZero " + 5 * PAGE); // the first stretch is not zero: no further calls
        assertEquals(want, spy.calls);
    }

    @Test
    void copyWalksListsSplitAtDifferentPoints() {
        randomizeRam();
        List<PageRun> src = List.of(run(0, 3), run(20, 1));
        List<PageRun> dst = List.of(run(30, 1), run(40, 2), run(3, 1));
        byte[] want = gather(src);
        CountingPageOps spy = new CountingPageOps(PageEngine.vector());
        PageEngine.copy(spy, mem, src, dst);
        assertEquals(List.of("copy 4096", "copy 8192", "copy 4096"), spy.calls);
        assertArrayEquals(want, gather(dst));
        spy.calls.clear();
        assertEquals(-1, PageEngine.mismatch(spy, mem, src, dst));
        assertEquals(List.of("mismatch 4096", "mismatch 8192", "mismatch 4096"), spy.calls);
    }

    @Test
    void everyHelperEqualsAPageByPageWalkOnRandomShapes() {
        for (int round = 0; round < 40; round++) {
            randomizeRam();
            List<Integer> pool = shuffledPages();
            int total = 1 + rnd.nextInt(PAGES / 2);
            List<PageRun> a = randomSg(pool, total);
            List<PageRun> b = randomSg(pool.subList(total, pool.size()), total);
            PageOps ops = round % 2 == 0 ? PageEngine.vector() : PageEngine.scalar();

            byte[] data = gather(a);
            CRC32C crc = new CRC32C();
            crc.update(data);
            assertEquals((int) crc.getValue(), PageEngine.crc32c(ops, mem, a), "crc32c");
            assertFalse(PageEngine.isZero(ops, mem, a));

            PageEngine.copy(ops, mem, a, b);
            assertArrayEquals(data, gather(b), "copy");
            assertEquals(-1, PageEngine.mismatch(ops, mem, a, b));
            long at = rnd.nextLong(data.length);
            long phys = physical(b, at);
            byte old = mem.direct(phys, 1).get(ValueLayout.JAVA_BYTE, 0);
            mem.direct(phys, 1).set(ValueLayout.JAVA_BYTE, 0, (byte) ~old);
            assertEquals(at, PageEngine.mismatch(ops, mem, a, b), "mismatch offset");
            assertEquals(at, PageEngine.mismatch(ops, mem, b, a), "mismatch offset");

            long seed = rnd.nextLong();
            PageEngine.fillPattern(ops, mem, b, seed);
            for (PageRun r : b) {
                assertEquals(-1, PageEngine.scalar().verifyPattern(mem.direct(r.physAddr(), r.bytes()), seed,
                        r.physAddr()), "pattern is laid down for each page's own address");
            }
            assertEquals(-1, PageEngine.verifyPattern(ops, mem, b, seed));

            PageEngine.zero(ops, mem, a);
            assertArrayEquals(new byte[data.length], gather(a));
            assertTrue(PageEngine.isZero(ops, mem, a));
            long nz = rnd.nextLong(data.length);
            mem.direct(physical(a, nz), 1).set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
            assertFalse(PageEngine.isZero(ops, mem, a));
        }
    }

    @Test
    void aPageCopiedToTheWrongAddressFailsVerificationThere() {
        List<PageRun> sg = List.of(run(4, 2), run(9, 1), run(12, 3));
        long seed = 99;
        for (PageOps ops : new PageOps[] {PageEngine.vector(), PageEngine.scalar()}) {
            PageEngine.fillPattern(ops, mem, sg, seed);
            assertEquals(-1, PageEngine.verifyPattern(ops, mem, sg, seed));
            // A stray DMA writes page 13's contents over page 9 (logical page 2 of the stream).
            PageEngine.scalar().copy(mem.direct(run(13, 1).physAddr(), PAGE), mem.direct(run(9, 1).physAddr(), PAGE));
            long at = PageEngine.verifyPattern(ops, mem, sg, seed);
            assertTrue(at >= 2L * PAGE && at < 2L * PAGE + 8, "found at " + at);
            assertTrue(PageEngine.verifyPattern(ops, mem, sg, seed + 1) >= 0);
        }
    }

    @Test
    void emptyListsAreEmptyStreams() {
        PageOps ops = PageEngine.vector();
        List<PageRun> none = List.of();
        PageEngine.zero(ops, mem, none);
        PageEngine.copy(ops, mem, none, none);
        assertTrue(PageEngine.isZero(ops, mem, none));
        assertEquals(-1, PageEngine.mismatch(ops, mem, none, none));
        assertEquals(0, PageEngine.crc32c(ops, mem, none));
        assertEquals(-1, PageEngine.verifyPattern(ops, mem, none, 1));
    }

    @Test
    void scatterGatherLengthMismatchIsAnEmulatorBug() {
        PageOps ops = PageEngine.vector();
        List<PageRun> two = List.of(run(0, 2));
        List<PageRun> three = List.of(run(10, 1), run(20, 2));
        assertThrows(IllegalArgumentException.class, () -> PageEngine.copy(ops, mem, two, three));
        assertThrows(IllegalArgumentException.class, () -> PageEngine.copy(ops, mem, three, two));
        assertThrows(IllegalArgumentException.class, () -> PageEngine.mismatch(ops, mem, two, three));
        assertThrows(IllegalArgumentException.class, () -> PageEngine.copy(ops, mem, two, List.of()));
    }

    @Test
    void copyAndSwizzleWithMismatchedLengthsAreEmulatorBugs() {
        MemorySegment page = mem.direct(BASE, PAGE);
        for (PageOps ops : new PageOps[] {PageEngine.vector(), PageEngine.scalar()}) {
            assertThrows(IllegalArgumentException.class, () -> ops.copy(page, page.asSlice(0, 100)));
            assertThrows(IllegalArgumentException.class, () -> ops.swizzleRgbaBgra(page, page.asSlice(0, 100)));
            assertThrows(IllegalArgumentException.class, () -> ops.swizzleRgbaBgra(page.asSlice(0, 10), page.asSlice(0, 10)));
        }
    }

    @Test
    void copyBetweenSystemPagesAndBarMemoryWorksBothWays() {
        randomizeRam();
        try (MmioRegion bar = MmioRegion.builder("bar", 2L * PAGE)
                .memory(0, 2L * PAGE, AccessSpec.ANY_ALIGNED, false).build()) {
            for (PageOps ops : new PageOps[] {PageEngine.vector(), PageEngine.scalar()}) {
                MemorySegment sys = mem.direct(BASE, PAGE);
                MemorySegment vram = bar.segment(PAGE, PAGE);
                ops.copy(sys, vram);
                assertEquals(-1, ops.mismatch(sys, vram));
                assertEquals(sys.get(ValueLayout.JAVA_LONG_UNALIGNED, 8), bar.getLongPlain(PAGE + 8));
                bar.putLongPlain(PAGE + 16, 0x1122_3344_5566_7788L);
                MemorySegment back = mem.direct(BASE + 5L * PAGE, PAGE);
                ops.copy(vram, back);
                assertEquals(0x1122_3344_5566_7788L,
                        back.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 16));
                assertEquals(16, ops.mismatch(sys, back));
                ops.fillPattern(bar.segment(0, PAGE), 5, 0xE000_0000L);
                assertEquals(-1, ops.verifyPattern(bar.segment(0, PAGE), 5, 0xE000_0000L));
                assertEquals(PageEngine.scalar().crc32c(0, vram), ops.crc32c(0, vram));
            }
        }
    }
}
