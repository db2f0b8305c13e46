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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GemFileTest {
    private final GemTestSupport t = new GemTestSupport();

    @AfterEach
    void tearDown() {
        t.close();
    }

    @Test
    void shouldStartHandlesAtOneAndReuseTheLowestFreedId() throws Exception {
        GemFile file = t.file();
        PlainObject a = t.plain(1);
        PlainObject b = t.plain(1);
        PlainObject c = t.plain(1);
        assertEquals(1, file.handleCreate(a));
        assertEquals(2, file.handleCreate(b));
        assertEquals(3, file.handleCreate(c));
        assertEquals(0, file.handleDelete(2));
        assertEquals(0, file.handleDelete(1));
        assertEquals(1, file.handleCreate(b), "lowest free id first");
        assertEquals(2, file.handleCreate(c), "then the next freed one");
        assertEquals(4, file.handleCreate(a), "then past the highest");
        assertNull(file.lookup(0), "0 is never a handle");
        file.release();
        a.put();
        b.put();
        c.put();
        t.assertClean();
    }

    @Test
    void shouldAnswerEinvalForDeleteOfUnknownHandle() throws Exception {
        GemFile file = t.file();
        assertEquals(Errno.EINVAL.negative(), file.handleDelete(1));
        assertEquals(Errno.EINVAL.negative(), file.handleDelete(0));
        assertEquals(Errno.EINVAL.negative(), file.handleDelete(-5));
        PlainObject obj = t.plain(1);
        int h = file.handleCreate(obj);
        assertEquals(0, file.handleDelete(h));
        assertEquals(Errno.EINVAL.negative(), file.handleDelete(h), "second delete of the same handle");
        assertEquals(0, t.oopses.count(), "a guest mistake, not a kernel bug");
        obj.put();
        t.assertClean();
    }

    @Test
    void shouldTakeOneHandleReferenceForAllHandlesOfAnObject() throws Exception {
        GemFile f1 = t.file();
        GemFile f2 = t.file();
        PlainObject obj = t.plain(2);
        int h1 = f1.handleCreate(obj);
        assertEquals(2, obj.refCount(), "creator + handle reference");
        int h2 = f2.handleCreate(obj);
        int h3 = f1.handleCreate(obj);
        assertEquals(2, obj.refCount(), "later handles take no reference");
        assertEquals(3, obj.handleCount());
        assertTrue(t.dev.offsets().isAllowed(obj.vmaNode(), f1));
        assertTrue(t.dev.offsets().isAllowed(obj.vmaNode(), f2));

        f1.handleDelete(h1);
        assertTrue(t.dev.offsets().isAllowed(obj.vmaNode(), f1), "f1 still holds h3");
        f1.handleDelete(h3);
        assertFalse(t.dev.offsets().isAllowed(obj.vmaNode(), f1), "grant revoked with the last handle of f1");
        assertEquals(2, obj.refCount());
        f2.handleDelete(h2);
        assertEquals(1, obj.refCount(), "last handle dropped the handle reference");
        assertEquals(0, obj.handleCount());
        obj.put();
        assertEquals(1, obj.frees.get());
        t.assertClean();
    }

    @Test
    void shouldReturnNewReferenceFromLookupOrNull() throws Exception {
        GemFile file = t.file();
        PlainObject obj = t.plain(1);
        int h = file.handleCreate(obj);
        obj.put(); // the handle keeps it alive
        GemObject found = file.lookup(h);
        assertSame(obj, found);
        assertEquals(2, obj.refCount());
        found.put();
        assertNull(file.lookup(h + 1));
        assertNull(file.lookup(1000));
        assertEquals(0, file.handleDelete(h));
        assertNull(file.lookup(h));
        assertEquals(1, obj.frees.get());
        t.assertClean();
    }

    @Test
    void shouldUnwindHandleCreationWhenFuncsOpenFails() throws Exception {
        List<String> calls = new ArrayList<>();
        GemObjectFuncs failing = new GemObjectFuncs() {
            @Override
            public void open(GemObject obj, GemFile file) throws KernelException {
                calls.add("open");
                throw new KernelException(Errno.ENOMEM);
            }

            @Override
            public void close(GemObject obj, GemFile file) {
                calls.add("close");
            }
        };
        GemFile file = t.file();
        PlainObject obj = new PlainObject(t.dev, GemTestSupport.PAGE, failing);
        KernelException e = assertThrows(KernelException.class, () -> file.handleCreate(obj));
        assertEquals(Errno.ENOMEM, e.errno());
        assertEquals(List.of("open"), calls, "close is not called for a handle that never existed");
        assertEquals(0, obj.handleCount());
        assertEquals(1, obj.refCount(), "handle reference given back");
        assertFalse(t.dev.offsets().isAllowed(obj.vmaNode(), file), "grant revoked");
        assertEquals(0, file.handleCount());
        assertNull(file.lookup(1));

        PlainObject ok = t.plain(1);
        assertEquals(1, file.handleCreate(ok), "the reserved id was freed");
        file.release();
        ok.put();
        obj.put();
        assertEquals(1, obj.frees.get());
        t.assertClean();
    }

    @Test
    void shouldCallOpenAndCloseHooksPerHandle() throws Exception {
        List<String> calls = new ArrayList<>();
        GemObjectFuncs hooks = new GemObjectFuncs() {
            @Override
            public void open(GemObject obj, GemFile file) {
                calls.add("open");
            }

            @Override
            public void close(GemObject obj, GemFile file) {
                calls.add("close");
            }
        };
        GemFile file = t.file();
        PlainObject obj = new PlainObject(t.dev, GemTestSupport.PAGE, hooks);
        int h = file.handleCreate(obj);
        file.handleCreate(obj);
        file.handleDelete(h);
        file.release();
        assertEquals(List.of("open", "open", "close", "close"), calls);
        obj.put();
        t.assertClean();
    }

    @Test
    void shouldReleaseEveryHandleAtFileCloseOnce() throws Exception {
        GemFile file = t.file();
        PlainObject a = t.plain(1);
        PlainObject b = t.plain(3);
        file.handleCreate(a);
        file.handleCreate(b);
        file.handleCreate(b);
        a.put();
        b.put();
        assertEquals(2, t.dev.objectsAlive(), "the handles keep both alive");
        file.release();
        assertEquals(1, a.frees.get());
        assertEquals(1, b.frees.get());
        assertTrue(file.isReleased());
        assertThrows(IllegalStateException.class, file::release);
        PlainObject c = t.plain(1);
        assertThrows(IllegalStateException.class, () -> file.handleCreate(c));
        assertEquals(1, c.refCount(), "the failed create left the refcount alone");
        c.put();
        t.assertClean();
    }

    @Test
    void shouldKeepHandlesConsistentUnderConcurrentCreateDeleteLookup() throws Exception {
        GemFile file = t.file();
        PlainObject shared = t.plain(1);
        int rounds = 20_000;
        CyclicBarrier start = new CyclicBarrier(2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable worker = () -> {
            try {
                start.await();
                for (int i = 0; i < rounds; i++) {
                    int h = file.handleCreate(shared);
                    GemObject o = file.lookup(h);
                    if (o != shared) {
                        throw new AssertionError("lookup of own handle " + h + " gave " + o);
                    }
                    o.put();
                    GemObject other = file.lookup(h + 1); // maybe the other thread's, maybe being deleted
                    if (other != null) {
                        if (other != shared) {
                            throw new AssertionError("lookup of handle " + (h + 1) + " gave " + other);
                        }
                        other.put();
                    }
                    if (file.handleDelete(h) != 0) {
                        throw new AssertionError("delete of own handle " + h + " failed");
                    }
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        };
        Thread t1 = new Thread(worker, "gem-a");
        Thread t2 = new Thread(worker, "gem-b");
        t1.start();
        t2.start();
        t1.join(60_000);
        t2.join(60_000);
        assertFalse(t1.isAlive() || t2.isAlive(), "workers finished");
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals(0, file.handleCount());
        assertEquals(0, shared.handleCount());
        assertEquals(1, shared.refCount(), "only the creator's reference is left");
        assertFalse(t.dev.offsets().isAllowed(shared.vmaNode(), file));
        assertEquals(1, file.handleCreate(shared), "every id was freed");
        file.release();
        shared.put();
        assertEquals(0, t.oopses.count());
        t.assertClean();
    }
}
