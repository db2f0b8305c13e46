package dev.gpuemu.kernel.drm.gem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.Oopses;
import dev.gpuemu.kernel.log.KernelLog;
import dev.gpuemu.kernel.log.LogEntry;
import dev.gpuemu.machine.GuestErrors;
import dev.gpuemu.machine.mem.SystemMemory;
import java.util.concurrent.atomic.AtomicInteger;

/// A GEM device on a small directly built page pool (no machine, no kernel).
final class GemTestSupport implements AutoCloseable {
    static final int PAGE = SystemMemory.PAGE_SIZE;
    static final long RAM_BASE = 0x8000_0000L;
    static final int RAM_PAGES = 64;

    final SystemMemory memory = new SystemMemory(RAM_BASE, (long) RAM_PAGES * PAGE, new GuestErrors());
    final KernelLog log = new KernelLog(() -> 0L, 1024);
    final Oopses oopses = new Oopses(log);
    final GemDevice dev = new GemDevice("testgpu", memory, log, oopses);

    /// A plain GEM object (no backing store, no mmap support) that counts its frees.
    static final class PlainObject extends GemObject {
        final AtomicInteger frees = new AtomicInteger();

        PlainObject(GemDevice dev, long size, GemObjectFuncs funcs) throws KernelException {
            super(dev, size, funcs);
        }

        PlainObject(GemDevice dev, long size) throws KernelException {
            this(dev, size, GemObjectFuncs.NONE);
        }

        @Override
        protected void free() {
            frees.incrementAndGet();
        }
    }

    /// A shmem object that counts its frees.
    static final class CountingShmem extends ShmemObject {
        final AtomicInteger frees = new AtomicInteger();

        CountingShmem(GemDevice dev, long size) throws KernelException {
            super(dev, size);
        }

        @Override
        protected void free() {
            frees.incrementAndGet();
            super.free();
        }
    }

    PlainObject plain(int pages) throws KernelException {
        return new PlainObject(dev, (long) pages * PAGE);
    }

    CountingShmem shmem(int pages) throws KernelException {
        return new CountingShmem(dev, (long) pages * PAGE);
    }

    GemFile file() {
        return new GemFile(dev, null);
    }

    long warningsLogged(String containing) {
        return log.tail(1024).stream().map(LogEntry::message).filter(m -> m.contains(containing)).count();
    }

    /// Every page back in the pool, no live object, no oops.
    void assertClean() {
        assertEquals(0, memory.pagesInUse(), "pages back in the pool");
        assertEquals(0, dev.objectsAlive(), "no object alive");
        assertEquals(0, dev.pagesResident(), "no resident pages counted");
        assertEquals(0, dev.bytesAllocated());
    }

    @Override
    public void close() {
        memory.close();
    }
}
