package dev.gpuemu.kernel.drm.gem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.KernelOops;
import dev.gpuemu.kernel.drm.gem.GemTestSupport.CountingShmem;
import dev.gpuemu.kernel.drm.gem.GemTestSupport.PlainObject;
import dev.gpuemu.kernel.uapi.Errno;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GemObjectTest {
    private final GemTestSupport t = new GemTestSupport();

    @AfterEach
    void tearDown() {
        t.close();
    }

    @Test
    void shouldRejectSizesThatAreNotPositivePageMultiples() {
        for (long size : new long[] {0, -4096, 1, 4095, 4097, 3 * 4096 + 12}) {
            KernelException e = assertThrows(KernelException.class, () -> new PlainObject(t.dev, size), "size " + size);
            assertEquals(Errno.EINVAL, e.errno());
        }
        assertEquals(0, t.dev.objectsAlive(), "rejected objects are not counted");
        assertEquals(0, t.dev.objectsCreated());
    }

    @Test
    void shouldCountLiveObjectsAndBytes() throws Exception {
        PlainObject a = t.plain(2);
        PlainObject b = t.plain(3);
        assertEquals(2, t.dev.objectsAlive());
        assertEquals(5L * GemTestSupport.PAGE, t.dev.bytesAllocated());
        a.put();
        assertEquals(new GemStats(1, 2, 3L * GemTestSupport.PAGE, 0, 0), t.dev.stats());
        b.put();
        t.assertClean();
    }

    @Test
    void shouldLiveWhileAnyHandleMmapOrDriverReferenceLivesAndBeFreedOnceAtTheLast() throws Exception {
        GemFile file = t.file();
        CountingShmem obj = t.shmem(2);
        int h = file.handleCreate(obj);
        TestVma vma = TestVma.shared(obj.createMmapOffset(), 2);
        assertEquals(0, GemMmap.mmap(t.dev, file, vma));
        GemObject driverRef = obj.get();
        obj.put(); // creator's reference

        assertEquals(0, file.handleDelete(h));
        assertEquals(0, obj.frees.get(), "mapping and driver reference remain");
        vma.close();
        assertEquals(0, obj.frees.get(), "driver reference remains");
        assertEquals(1, t.dev.objectsAlive());
        driverRef.put();
        assertEquals(1, obj.frees.get(), "freed at the last reference");
        assertEquals(0, obj.refCount());
        t.assertClean();
        assertEquals(0, t.dev.offsets().size(), "the mmap offset went with the object");
        assertEquals(0, t.oopses.count());
    }

    @Test
    void shouldTreatGetAndPutAfterFreeAsKernelBugs() throws Exception {
        PlainObject obj = t.plain(1);
        obj.put();
        assertEquals(1, obj.frees.get());
        assertFalse(obj.tryGet(), "a dying object cannot be revived");
        assertThrows(KernelOops.class, obj::get);
        assertThrows(KernelOops.class, obj::put);
        assertThrows(KernelOops.class, obj::createMmapOffset);
        assertEquals(3, t.oopses.count(), "each bug is recorded");
        assertEquals(1, obj.frees.get(), "free ran exactly once");
    }
}
