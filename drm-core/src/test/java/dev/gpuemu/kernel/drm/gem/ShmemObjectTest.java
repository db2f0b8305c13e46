package dev.gpuemu.kernel.drm.gem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.KernelOops;
import dev.gpuemu.kernel.drm.gem.GemTestSupport.CountingShmem;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.machine.mem.PageRun;
import dev.gpuemu.machine.pages.PageEngine;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ShmemObjectTest {
    private final GemTestSupport t = new GemTestSupport();

    @AfterEach
    void tearDown() {
        t.close();
    }

    @Test
    void shouldAllocateLazilyAndCountPageUses() throws Exception {
        CountingShmem obj = t.shmem(3);
        assertFalse(obj.hasPages(), "no pages before the first use");
        assertEquals(0, t.memory.pagesInUse());
        obj.getPages();
        assertEquals(3, t.memory.pagesInUse());
        assertEquals(3, t.dev.pagesResident());
        obj.getPages();
        assertEquals(2, obj.pagesUseCount());
        assertEquals(3, t.memory.pagesInUse(), "the second use allocates nothing");
        obj.putPages();
        assertTrue(obj.hasPages());
        obj.putPages();
        assertFalse(obj.hasPages(), "1 -> 0 frees");
        assertEquals(0, t.memory.pagesInUse());
        assertThrows(KernelOops.class, obj::putPages, "unbalanced put");
        assertEquals(1, t.oopses.count());
        obj.put();
        t.assertClean();
    }

    @Test
    void shouldNestPinVmapAndSgtUses() throws Exception {
        CountingShmem obj = t.shmem(2);
        obj.pin();
        assertEquals(1, obj.pagesPinCount());
        assertEquals(1, obj.pagesUseCount());
        ShmemVmap map = obj.vmap();
        assertEquals(1, obj.vmapUseCount());
        assertEquals(2, obj.pagesPinCount(), "first vmap pins");
        assertEquals(1, obj.pagesUseCount(), "a second pin takes no extra use");
        assertSame(map, obj.vmap(), "later vmaps share the mapping");
        assertEquals(2, obj.vmapUseCount());
        assertEquals(2, obj.pagesPinCount());

        List<PageRun> sgt = obj.getPagesSgt();
        assertEquals(2, obj.pagesUseCount(), "the sgt takes one use");
        assertSame(sgt, obj.getPagesSgt(), "cached");
        assertEquals(2, obj.pagesUseCount(), "only once");
        assertEquals(2, sgt.stream().mapToInt(PageRun::pages).sum());

        obj.vunmap();
        assertTrue(map.isValid());
        obj.vunmap();
        assertFalse(map.isValid(), "the last vunmap unmaps");
        assertThrows(IllegalStateException.class, () -> map.getInt(0));
        assertEquals(1, obj.pagesPinCount());
        obj.unpin();
        assertEquals(0, obj.pagesPinCount());
        assertEquals(1, obj.pagesUseCount(), "the sgt keeps the pages");
        assertThrows(KernelOops.class, obj::unpin);
        assertThrows(KernelOops.class, obj::vunmap);
        obj.put();
        assertEquals(0, t.dev.warnings(), "the sgt's use is the object's own, not a leak");
        t.assertClean();
    }

    @Test
    void shouldCoalesceAdjacentPagesInTheSgt() throws Exception {
        PageRun hole = t.memory.allocPages(1, "hole").getFirst();
        PageRun before = t.memory.allocPages(1, "before").getFirst();
        t.memory.free(hole); // pool: [free][used][free...]
        CountingShmem obj = t.shmem(4);
        List<PageRun> sgt = obj.getPagesSgt();
        assertEquals(List.of(new PageRun(hole.physAddr(), 1), new PageRun(before.end(), 3)), sgt);
        obj.put();
        t.memory.free(before);
        t.assertClean();
    }

    @Test
    void shouldZeroPagesOnAllocation() throws Exception {
        List<PageRun> all = t.memory.allocPages(GemTestSupport.RAM_PAGES, "dirt");
        PageEngine.fill64(PageEngine.scalar(), t.memory, all, 0xDEAD_BEEF_CAFE_F00DL);
        all.forEach(t.memory::free);
        CountingShmem obj = t.shmem(GemTestSupport.RAM_PAGES);
        List<PageRun> sgt = obj.getPagesSgt();
        for (PageRun run : sgt) {
            assertTrue(PageEngine.scalar().isZero(t.memory.direct(run.physAddr(), run.bytes())), run + " zeroed");
        }
        obj.put();
        t.assertClean();
    }

    @Test
    void shouldFailWithEnomemWhenThePoolIsShort() throws Exception {
        CountingShmem big = t.shmem(GemTestSupport.RAM_PAGES + 1);
        KernelException e = assertThrows(KernelException.class, big::getPages);
        assertEquals(Errno.ENOMEM, e.errno());
        assertEquals(0, big.pagesUseCount());
        assertThrows(KernelException.class, big::pin);
        assertEquals(0, big.pagesPinCount(), "a failed pin leaves no count");
        assertThrows(KernelException.class, big::vmap);
        assertEquals(0, big.vmapUseCount());
        big.put();
        t.assertClean();
    }

    @Test
    void shouldGiveByteAccessAcrossPagesThroughVmap() throws Exception {
        CountingShmem obj = t.shmem(2);
        ShmemVmap map = obj.vmap();
        long edge = GemTestSupport.PAGE - 2;
        map.putInt(edge, 0x1122_3344);
        assertEquals(0x1122_3344, map.getInt(edge), "straddling store and load");
        map.putLong(GemTestSupport.PAGE - 3, 0x0102_0304_0506_0708L);
        assertEquals(0x0102_0304_0506_0708L, map.getLong(GemTestSupport.PAGE - 3));
        assertEquals((byte) 0x08, map.getByte(GemTestSupport.PAGE - 3), "little-endian");
        map.putIntRelease(16, 7);
        assertEquals(7, map.getIntAcquire(16));
        assertThrows(IllegalArgumentException.class, () -> map.getIntAcquire(2));
        assertThrows(IndexOutOfBoundsException.class, () -> map.getInt(2L * GemTestSupport.PAGE - 2));
        assertThrows(IndexOutOfBoundsException.class, () -> map.getByte(-1));

        byte[] data = new byte[300];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        long at = GemTestSupport.PAGE - 100;
        map.copyFrom(at, java.lang.foreign.MemorySegment.ofArray(data));
        byte[] back = new byte[300];
        map.copyTo(at, java.lang.foreign.MemorySegment.ofArray(back));
        assertArrayEquals(data, back);
        // The same bytes through the page list (what the device would see).
        List<PageRun> sgt = obj.getPagesSgt();
        long secondPage = sgt.size() == 1 ? sgt.getFirst().physAddr() + GemTestSupport.PAGE : sgt.get(1).physAddr();
        assertEquals(data[100], t.memory.direct(secondPage, 1).get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0));
        obj.vunmap();
        obj.put();
        t.assertClean();
    }

    @Test
    void shouldFollowMadviseRulesAndKeepPurgedForGood() throws Exception {
        CountingShmem obj = t.shmem(2);
        assertTrue(obj.madvise(1), "DONTNEED: still has backing store");
        assertFalse(obj.isPurgeable(), "no sgt yet");
        obj.getPagesSgt();
        assertTrue(obj.isPurgeable());
        obj.pin();
        assertFalse(obj.isPurgeable(), "pinned");
        obj.unpin();
        assertTrue(obj.madvise(0));
        assertFalse(obj.isPurgeable(), "WILLNEED");
        assertTrue(obj.madvise(1));
        assertTrue(obj.purge());
        assertEquals(-1, obj.madv());
        assertFalse(obj.madvise(0), "purged sticks");
        assertEquals(-1, obj.madv());
        assertFalse(obj.isPurgeable());
        KernelException e = assertThrows(KernelException.class, obj::getPages);
        assertEquals(Errno.ENOMEM, e.errno(), "no new backing store after purge");
        obj.put();
        t.assertClean();
    }

    @Test
    void shouldWarnAndDoNothingOnPurgeOfNonPurgeableObject() throws Exception {
        CountingShmem obj = t.shmem(1);
        obj.getPagesSgt(); // madv still 0
        assertFalse(obj.purge());
        assertEquals(1, t.dev.warnings());
        assertEquals(0, obj.madv());
        assertEquals(1, obj.pagesUseCount());
        obj.put();
        t.assertClean();
    }

    @Test
    void shouldFreePagesAndZapMappingsOnPurge() throws Exception {
        GemFile file = t.file();
        CountingShmem obj = t.shmem(2);
        file.handleCreate(obj);
        long off = obj.createMmapOffset();
        TestVma vma = TestVma.shared(off, 2);
        assertEquals(0, GemMmap.mmap(t.dev, file, vma));
        t.dev.mapping().add(vma);
        assertTrue(vma.touch(0) != null && vma.touch(1) != null);
        obj.getPagesSgt();
        obj.madvise(1);

        assertTrue(obj.purge());
        assertEquals(1, vma.zaps.size(), "the object's range was zapped once");
        assertArrayEquals(new long[] {off >>> 12, 2}, vma.zaps.getFirst());
        assertTrue(vma.pte.isEmpty());
        assertNull(vma.touch(0), "fault after purge: SIGBUS");
        assertNull(vma.touch(1));
        assertEquals(0, obj.mmapOffset(), "offset removed");
        assertNull(t.dev.offsets().exactLookup(off >>> 12, 2));
        assertEquals(2, t.memory.pagesInUse(), "the live VMA still uses the pages");
        t.dev.mapping().remove(vma);
        vma.close();
        assertEquals(0, t.memory.pagesInUse(), "freed when the last user went");

        // Without a mapping, purge alone returns the pages.
        CountingShmem other = t.shmem(3);
        other.getPagesSgt();
        other.madvise(5);
        assertEquals(3, t.memory.pagesInUse());
        assertTrue(other.purge());
        assertEquals(0, t.memory.pagesInUse());
        other.put();
        file.release();
        obj.put();
        assertEquals(0, t.dev.warnings());
        t.assertClean();
    }

    @Test
    void shouldKeepContentAcrossTheLastPutUntilPurge() throws Exception {
        CountingShmem obj = t.shmem(3);
        ShmemVmap map = obj.vmap();
        map.putInt(4096 + 12, 0x5eed); // page 1 only; pages 0 and 2 stay zero
        obj.vunmap();
        assertFalse(obj.hasPages());
        assertEquals(0, t.memory.pagesInUse(), "the pages went back to the pool");
        // Dirty the pool so a restore that skipped a page would show garbage, not zero.
        List<PageRun> all = t.memory.allocPages(GemTestSupport.RAM_PAGES, "dirt");
        PageEngine.fill64(PageEngine.scalar(), t.memory, all, -1L);
        all.forEach(t.memory::free);
        map = obj.vmap();
        assertEquals(0x5eed, map.getInt(4096 + 12), "the content came back with the new pages");
        assertEquals(0, map.getInt(0), "zero pages stay zero");
        assertEquals(0, map.getInt(2 * 4096 + 100));
        obj.vunmap();

        obj.getPagesSgt();
        obj.madvise(1);
        assertTrue(obj.purge());
        assertEquals(Errno.ENOMEM, assertThrows(KernelException.class, obj::vmap).errno(), "purged: no content");
        obj.put();
        t.assertClean();
    }

    @Test
    void shouldWarnOnLeakedPinAtFreeAndStillReturnThePages() throws Exception {
        CountingShmem obj = t.shmem(3);
        obj.pin();
        obj.vmap();
        assertEquals(3, t.memory.pagesInUse());
        obj.put();
        assertEquals(1, obj.frees.get());
        assertTrue(t.dev.warnings() >= 2, "vmap and pin leaks are WARNed");
        assertEquals(1, t.warningsLogged("pages_pin_count 2"));
        assertEquals(1, t.warningsLogged("vmap_use_count 1"));
        assertEquals(0, t.oopses.count(), "a WARN, not an oops");
        t.assertClean();
    }
}
