package dev.gpuemu.kernel.drivers.nova.core;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.Scope;
import dev.gpuemu.kernel.io.IoMem;
import dev.gpuemu.kernel.uapi.Errno;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.TreeMap;

/// First-fit allocator over `[0, limit)` of VRAM in 4 KiB units, and the [VramAllocation]s it
/// hands out (CPU access through the BAR1 mapping).
///
/// ## Invariants
/// Free ranges are disjoint, non-adjacent (merged on free) and 4 KiB aligned; free + allocated =
/// limit.
///
/// ## Thread safety
/// Thread-safe (one monitor).
final class VramHeap {
    static final long PAGE = 4096;

    private final Scope scope;
    private final IoMem bar1;
    private final MemorySegment bar1Memory;
    private final long limit;
    private final TreeMap<Long, Long> free = new TreeMap<>(); // start -> size
    private long freeBytes;

    /// `bar1Memory` is the BAR1 aperture's memory as the CPU sees it (for mmap pages).
    VramHeap(Scope scope, IoMem bar1, MemorySegment bar1Memory, long limit) {
        this.scope = scope;
        this.bar1 = bar1;
        this.bar1Memory = bar1Memory;
        this.limit = limit & ~(PAGE - 1);
        free.put(0L, this.limit);
        freeBytes = this.limit;
    }

    long limit() {
        return limit;
    }

    synchronized long freeBytes() {
        return freeBytes;
    }

    VramAllocation alloc(long size) throws KernelException {
        if (size <= 0 || size > limit) {
            throw new KernelException(size <= 0 ? Errno.EINVAL : Errno.ENOMEM, "VRAM allocation of " + size + " bytes");
        }
        long bytes = (size + PAGE - 1) & ~(PAGE - 1);
        synchronized (this) {
            for (Map.Entry<Long, Long> e : free.entrySet()) {
                if (e.getValue() >= bytes) {
                    long start = e.getKey();
                    free.remove(start);
                    if (e.getValue() > bytes) {
                        free.put(start + bytes, e.getValue() - bytes);
                    }
                    freeBytes -= bytes;
                    return new Allocation(start, bytes);
                }
            }
        }
        throw new KernelException(Errno.ENOMEM, "no free VRAM range of " + bytes + " bytes");
    }

    private synchronized void release(long start, long bytes) {
        long s = start;
        long n = bytes;
        Map.Entry<Long, Long> prev = free.floorEntry(s);
        if (prev != null && prev.getKey() + prev.getValue() == s) {
            free.remove(prev.getKey());
            s = prev.getKey();
            n += prev.getValue();
        }
        Long next = free.get(start + bytes);
        if (next != null) {
            free.remove(start + bytes);
            n += next;
        }
        free.put(s, n);
        freeBytes += bytes;
    }

    /// One allocation; see [VramAllocation].
    final class Allocation implements VramAllocation {
        private final long start;
        private final long bytes;
        private volatile boolean closed;

        Allocation(long start, long bytes) {
            this.start = start;
            this.bytes = bytes;
        }

        VramHeap heap() {
            return VramHeap.this;
        }

        boolean isClosed() {
            return closed;
        }

        @Override
        public long offset() {
            scope.check("VRAM allocation offset");
            return start;
        }

        @Override
        public long size() {
            return bytes;
        }

        private long at(long offset, long length, String op) {
            scope.check("VRAM " + op);
            if (closed) {
                throw new IllegalStateException("VRAM allocation used after close");
            }
            if (offset < 0 || length < 0 || offset > bytes - length) {
                throw new IndexOutOfBoundsException("VRAM " + op + " at " + offset + "+" + length + " outside " + bytes);
            }
            return start + offset;
        }

        @Override
        public int read32(long offset) {
            return bar1.read32(at(offset, 4, "read32"));
        }

        @Override
        public void write32(long offset, int value) {
            bar1.write32(at(offset, 4, "write32"), value);
        }

        @Override
        public long read64(long offset) {
            return bar1.read64(at(offset, 8, "read64"));
        }

        @Override
        public void write64(long offset, long value) {
            bar1.write64(at(offset, 8, "write64"), value);
        }

        @Override
        public void read(long offset, byte[] dst, int dstOffset, int length) {
            long a = at(offset, length, "read");
            MemorySegment.copy(bar1Memory, java.lang.foreign.ValueLayout.JAVA_BYTE, a, dst, dstOffset, length);
        }

        @Override
        public void write(long offset, byte[] src, int srcOffset, int length) {
            long a = at(offset, length, "write");
            MemorySegment.copy(src, srcOffset, bar1Memory, java.lang.foreign.ValueLayout.JAVA_BYTE, a, length);
        }

        @Override
        public MemorySegment page(long pageIndex) {
            long a = at(pageIndex * PAGE, PAGE, "page");
            return bar1Memory.asSlice(a, PAGE);
        }

        @Override
        public void close() {
            if (closed) {
                throw new IllegalStateException("VRAM allocation already closed");
            }
            closed = true;
            if (scope.isAlive()) {
                release(start, bytes);
            }
        }

        @Override
        public String toString() {
            return String.format("vram [0x%x-0x%x)", start, start + bytes);
        }
    }
}
