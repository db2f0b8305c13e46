package dev.gpuemu.kernel.drm.gem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.drm.gem.GemTestSupport.PlainObject;
import dev.gpuemu.kernel.uapi.Errno;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VmaOffsetManagerTest {
    private final GemTestSupport t = new GemTestSupport();

    @AfterEach
    void tearDown() {
        t.close();
    }

    @Test
    void shouldStartTheOffsetSpaceAtFourGib() {
        assertEquals(0x10_0000L, VmaOffsetManager.DRM_FILE_PAGE_OFFSET_START);
        assertEquals(0x1_0000_0000L, VmaOffsetManager.DRM_FILE_PAGE_OFFSET_START << 12, "byte offset 4 GiB");
        assertEquals(0xF_FFFFL * 256, VmaOffsetManager.DRM_FILE_PAGE_OFFSET_SIZE);
    }

    @Test
    void shouldCreateMmapOffsetIdempotentlyAndPageGranular() throws Exception {
        PlainObject a = t.plain(3);
        PlainObject b = t.plain(1);
        assertEquals(0, a.mmapOffset(), "no offset before creation");
        long offA = a.createMmapOffset();
        assertEquals(offA, a.createMmapOffset(), "idempotent");
        assertEquals(1, t.dev.offsets().size());
        long offB = b.createMmapOffset();
        assertEquals(0, offA & 0xFFF, "page aligned");
        assertEquals(0, offB & 0xFFF);
        assertTrue(offA >= VmaOffsetManager.DRM_FILE_PAGE_OFFSET_START << 12);
        assertEquals(3, a.vmaNode().pages());
        assertTrue(offB >= offA + 3L * GemTestSupport.PAGE || offB + GemTestSupport.PAGE <= offA, "no overlap");
        assertEquals(offA, a.vmaNode().start() << 12);
        a.put();
        b.put();
        assertEquals(0, t.dev.offsets().size());
        assertEquals(1, t.dev.offsets().freeExtents(), "freed places coalesce back into one extent");
    }

    @Test
    void shouldReuseAFreedPlace() throws Exception {
        PlainObject a = t.plain(2);
        PlainObject b = t.plain(2);
        long offA = a.createMmapOffset();
        b.createMmapOffset();
        a.put();
        PlainObject c = t.plain(1);
        assertEquals(offA, c.createMmapOffset(), "first fit takes the lowest free place");
        b.put();
        c.put();
    }

    @Test
    void shouldMissExactLookupOnWrongStartOrTooLargeSize() throws Exception {
        PlainObject obj = t.plain(4);
        long start = obj.createMmapOffset() >>> 12;
        VmaOffsetManager m = t.dev.offsets();
        assertSame(obj.vmaNode(), m.exactLookup(start, 4));
        assertSame(obj.vmaNode(), m.exactLookup(start, 1), "a smaller mapping is inside the node");
        assertNull(m.exactLookup(start, 5), "larger than the object");
        assertNull(m.exactLookup(start + 1, 1), "not the node's start");
        assertNull(m.exactLookup(start - 1, 1));
        assertNull(m.exactLookup(start, 0));
        GemObject got = m.lookupObject(start, 4);
        assertSame(obj, got);
        assertEquals(2, obj.refCount(), "lookupObject returns a new reference");
        got.put();
        obj.put();
        assertNull(m.exactLookup(start, 4), "gone with the object");
    }

    @Test
    void shouldTreatADyingObjectAsAbsent() throws Exception {
        AtomicReference<GemObject> seenDuringFree = new AtomicReference<>();
        AtomicReference<VmaOffsetNode> nodeDuringFree = new AtomicReference<>();
        long[] start = new long[1];
        GemObject obj = new GemObject(t.dev, 2L * GemTestSupport.PAGE, GemObjectFuncs.NONE) {
            @Override
            protected void free() {
                // Refcount is 0 but the node is still in the manager: a racing mmap must miss.
                nodeDuringFree.set(dev.offsets().exactLookup(start[0], 2));
                seenDuringFree.set(dev.offsets().lookupObject(start[0], 2));
            }
        };
        start[0] = obj.createMmapOffset() >>> 12;
        obj.put();
        assertSame(obj.vmaNode(), nodeDuringFree.get(), "the node was still placed during free");
        assertNull(seenDuringFree.get(), "but the lookup treated the dying object as absent");
        assertEquals(0, t.oopses.count());
    }

    @Test
    void shouldCountGrantsPerFile() throws Exception {
        PlainObject obj = t.plain(1);
        GemFile f = t.file();
        GemFile g = t.file();
        VmaOffsetManager m = t.dev.offsets();
        m.allow(obj.vmaNode(), f);
        m.allow(obj.vmaNode(), f);
        assertTrue(m.isAllowed(obj.vmaNode(), f));
        assertFalse(m.isAllowed(obj.vmaNode(), g));
        m.revoke(obj.vmaNode(), f);
        assertTrue(m.isAllowed(obj.vmaNode(), f), "one grant left");
        m.revoke(obj.vmaNode(), f);
        assertFalse(m.isAllowed(obj.vmaNode(), f));
        m.revoke(obj.vmaNode(), g); // revoking nothing is harmless
        assertFalse(m.isAllowed(obj.vmaNode(), g));
        obj.put();
    }

    @Test
    void shouldFailWithEnospcWhenTheSpaceIsFull() throws Exception {
        VmaOffsetManager m = new VmaOffsetManager();
        PlainObject obj = t.plain(1);
        PlainObject other = t.plain(1);
        m.add(obj.vmaNode(), VmaOffsetManager.DRM_FILE_PAGE_OFFSET_SIZE);
        KernelException e = assertThrows(KernelException.class,
                () -> m.add(other.vmaNode(), 1));
        assertEquals(Errno.ENOSPC, e.errno());
        m.remove(obj.vmaNode());
        m.add(other.vmaNode(), 1);
        assertEquals(VmaOffsetManager.DRM_FILE_PAGE_OFFSET_START, other.vmaNode().start());
        m.remove(other.vmaNode());
        obj.put();
        other.put();
    }
}
