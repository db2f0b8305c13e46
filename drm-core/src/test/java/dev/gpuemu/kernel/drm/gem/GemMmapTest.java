package dev.gpuemu.kernel.drm.gem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.gpuemu.kernel.drm.gem.GemTestSupport.CountingShmem;
import dev.gpuemu.kernel.drm.gem.GemTestSupport.PlainObject;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.Fcntl;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GemMmapTest {
    private final GemTestSupport t = new GemTestSupport();
    private final GemFile file = t.file();

    @AfterEach
    void tearDown() {
        t.close();
    }

    private CountingShmem handled(int pages) throws Exception {
        CountingShmem obj = t.shmem(pages);
        file.handleCreate(obj);
        obj.put(); // the handle keeps it
        return obj;
    }

    @Test
    void shouldRefuseUnknownOffsetWithEinval() throws Exception {
        CountingShmem obj = handled(2);
        long off = obj.createMmapOffset();
        assertEquals(Errno.EINVAL.negative(), GemMmap.mmap(t.dev, file, TestVma.shared(off + 4096, 1)), "inside, not at the start");
        assertEquals(Errno.EINVAL.negative(), GemMmap.mmap(t.dev, file, TestVma.shared(0, 1)));
        file.release();
        t.assertClean();
    }

    @Test
    void shouldRefuseWithEaccesWithoutGrant() throws Exception {
        CountingShmem obj = handled(2);
        long off = obj.createMmapOffset();
        GemFile stranger = t.file();
        assertEquals(Errno.EACCES.negative(), GemMmap.mmap(t.dev, stranger, TestVma.shared(off, 2)));
        assertEquals(1, obj.refCount(), "the lookup reference was dropped");
        assertEquals(0, obj.pagesUseCount());
        file.release();
        t.assertClean();
    }

    @Test
    void shouldRefuseMappingLargerThanTheObjectWithEinval() throws Exception {
        CountingShmem obj = handled(2);
        long off = obj.createMmapOffset();
        assertEquals(Errno.EINVAL.negative(), GemMmap.mmap(t.dev, file, TestVma.shared(off, 3)));
        PlainObject plainObj = t.plain(1);
        plainObj.createMmapOffset();
        // drm_gem_mmap_obj's own check, for callers that pass a smaller size (dma-buf).
        assertEquals(Errno.EINVAL.negative(), GemMmap.mmapObject(plainObj, 0, TestVma.shared(0, 1), 0));
        assertEquals(1, plainObj.refCount());
        plainObj.put();
        file.release();
        t.assertClean();
    }

    @Test
    void shouldRefuseCopyOnWriteMappingOfShmemWithEinval() throws Exception {
        CountingShmem obj = handled(1);
        long off = obj.createMmapOffset();
        TestVma cow = new TestVma(0x1000_0000L, 1, off >>> 12, Fcntl.PROT_READ | Fcntl.PROT_WRITE, Fcntl.MAP_PRIVATE);
        assertEquals(Errno.EINVAL.negative(), GemMmap.mmap(t.dev, file, cow));
        assertEquals(1, obj.refCount(), "the failed mapping gave its reference back");
        assertEquals(0, obj.pagesUseCount());
        TestVma privateRead = new TestVma(0x1000_0000L, 1, off >>> 12, Fcntl.PROT_READ, Fcntl.MAP_PRIVATE);
        assertEquals(0, GemMmap.mmap(t.dev, file, privateRead), "read-only private mappings are fine");
        privateRead.close();
        file.release();
        t.assertClean();
    }

    @Test
    void shouldRefuseObjectWithoutMmapSupportWithEinval() throws Exception {
        PlainObject obj = t.plain(1);
        file.handleCreate(obj);
        long off = obj.createMmapOffset();
        assertEquals(Errno.EINVAL.negative(), GemMmap.mmap(t.dev, file, TestVma.shared(off, 1)));
        assertEquals(2, obj.refCount());
        file.release();
        obj.put();
        t.assertClean();
    }

    @Test
    void shouldHoldReferenceAndPagesUsePerVma() throws Exception {
        CountingShmem obj = handled(4);
        long off = obj.createMmapOffset();
        TestVma vma = TestVma.shared(off, 4);
        assertEquals(0, GemMmap.mmap(t.dev, file, vma));
        assertSame(obj, vma.privateData());
        assertEquals(2, obj.refCount(), "handle reference + VMA");
        assertEquals(1, obj.pagesUseCount(), "the mapping took a pages use");
        TestVma tail = vma.tail(2); // partial munmap splits the VMA
        assertEquals(3, obj.refCount());
        assertEquals(2, obj.pagesUseCount());
        assertSame(vma.touch(2), tail.touch(0), "the split piece maps the same object pages");
        vma.close();
        tail.close();
        assertEquals(1, obj.refCount());
        assertEquals(0, obj.pagesUseCount());
        assertEquals(0, t.memory.pagesInUse());
        file.release();
        t.assertClean();
    }

    @Test
    void shouldFaultTheSamePageTwiceAndSigbusBeyondTheEnd() throws Exception {
        CountingShmem obj = handled(2);
        TestVma vma = TestVma.shared(obj.createMmapOffset(), 2);
        assertEquals(0, GemMmap.mmap(t.dev, file, vma));
        MemorySegment p0 = vma.ops().fault(vma, 0);
        MemorySegment again = vma.ops().fault(vma, 0);
        assertNotNull(p0);
        assertEquals(p0.address(), again.address(), "same physical page");
        assertEquals(GemTestSupport.PAGE, p0.byteSize());
        p0.set(ValueLayout.JAVA_INT, 8, 0x1234_5678);
        assertEquals(0x1234_5678, vma.ops().fault(vma, 0).get(ValueLayout.JAVA_INT, 8));
        assertNotNull(vma.ops().fault(vma, 1));
        assertNull(vma.ops().fault(vma, 2), "beyond the object: SIGBUS");
        assertNull(vma.ops().fault(vma, -1));
        vma.close();
        file.release();
        t.assertClean();
    }

    @Test
    void shouldRefaultTheSamePagesAfterUnplugZapsEveryMapping() throws Exception {
        CountingShmem obj = handled(2);
        TestVma vma = TestVma.shared(obj.createMmapOffset(), 2);
        assertEquals(0, GemMmap.mmap(t.dev, file, vma));
        t.dev.mapping().add(vma);
        MemorySegment before = vma.touch(1);
        t.dev.mapping().zapAll(); // what drm_dev_unplug does
        assertEquals(0, vma.pte.size(), "page table entries gone");
        assertEquals(before.address(), vma.touch(1).address(), "shmem re-faults the same page");
        assertEquals(0, obj.frees.get(), "unplug freed nothing");
        t.dev.mapping().remove(vma);
        vma.close();
        file.release();
        t.assertClean();
    }
}
