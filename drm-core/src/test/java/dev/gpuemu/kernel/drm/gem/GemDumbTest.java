package dev.gpuemu.kernel.drm.gem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.uapi.Errno;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GemDumbTest {
    private final GemTestSupport t = new GemTestSupport();

    @AfterEach
    void tearDown() {
        t.close();
    }

    @Test
    void shouldCreateDumbBufferOwnedByItsHandleAndMapIt() throws Exception {
        GemFile file = t.file();
        DumbGeometry g = DumbGeometry.of(64, 64, 32);
        int handle = GemDumb.create(file, g);
        assertEquals(1, handle);
        GemObject obj = file.lookup(handle);
        assertEquals(16 * 1024, obj.size());
        assertEquals(2, obj.refCount(), "handle reference + this lookup: the creation reference is gone");
        obj.put();

        long off = GemDumb.mapOffset(file, handle);
        assertEquals(off, GemDumb.mapOffset(file, handle), "same offset every time");
        TestVma vma = TestVma.shared(off, 4);
        assertEquals(0, GemMmap.mmap(t.dev, file, vma));
        assertEquals(4, t.memory.pagesInUse());
        vma.close();

        assertEquals(0, file.handleDelete(handle));
        t.assertClean();
    }

    @Test
    void shouldAnswerEnoentForMapOfUnknownHandle() {
        GemFile file = t.file();
        KernelException e = assertThrows(KernelException.class, () -> GemDumb.mapOffset(file, 3));
        assertEquals(Errno.ENOENT, e.errno());
    }
}
