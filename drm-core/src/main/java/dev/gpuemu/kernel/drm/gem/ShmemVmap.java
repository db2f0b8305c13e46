package dev.gpuemu.kernel.drm.gem;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/// A kernel mapping of a [ShmemObject] (`shmem->vaddr`): byte access at object offsets across
/// its non-contiguous pages. Multi-byte values are little-endian; plain accessors may straddle a
/// page boundary, the acquire/release ones must be naturally aligned (so never straddle).
///
/// ## Invariants
/// Valid from the object's first [ShmemObject#vmap()] to its last [ShmemObject#vunmap()] (or
/// its free); the pages stay pinned meanwhile. Access after that is a kernel bug and throws
/// `IllegalStateException`; an offset outside the object throws `IndexOutOfBoundsException`.
///
/// ## Thread safety
/// Accesses from any thread; ordering between threads (and with the device) only through the
/// acquire/release accessors. The accessors allocate nothing.
public final class ShmemVmap {
    private static final int PAGE_SHIFT = VmaOffsetManager.PAGE_SHIFT;
    private static final long PAGE_MASK = (1L << PAGE_SHIFT) - 1;
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_ALIGNED = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

    private final MemorySegment[] pages;
    private final long size;
    private volatile boolean valid = true;

    ShmemVmap(MemorySegment[] pages, long size) {
        this.pages = pages;
        this.size = size;
    }

    void invalidate() {
        valid = false;
    }

    /// Whether the mapping is still valid.
    public boolean isValid() {
        return valid;
    }

    /// Mapped size in bytes (the object's size).
    public long size() {
        return size;
    }

    private void check(long offset, long length) {
        if (!valid) {
            throw new IllegalStateException("access through a vunmapped shmem mapping");
        }
        if (offset < 0 || length < 0 || offset > size - length) {
            throw new IndexOutOfBoundsException("vmap access 0x" + Long.toHexString(offset) + "+" + length
                    + " outside " + size + " bytes");
        }
    }

    private MemorySegment page(long offset) {
        return pages[(int) (offset >>> PAGE_SHIFT)];
    }

    public byte getByte(long offset) {
        check(offset, 1);
        return page(offset).get(ValueLayout.JAVA_BYTE, offset & PAGE_MASK);
    }

    public void putByte(long offset, byte value) {
        check(offset, 1);
        page(offset).set(ValueLayout.JAVA_BYTE, offset & PAGE_MASK, value);
    }

    /// Plain little-endian load; may straddle pages.
    public int getInt(long offset) {
        check(offset, 4);
        long in = offset & PAGE_MASK;
        if (in <= PAGE_MASK - 3) {
            return page(offset).get(INT_LE, in);
        }
        return (int) getStraddling(offset, 4);
    }

    /// Plain little-endian store; may straddle pages.
    public void putInt(long offset, int value) {
        check(offset, 4);
        long in = offset & PAGE_MASK;
        if (in <= PAGE_MASK - 3) {
            page(offset).set(INT_LE, in, value);
        } else {
            putStraddling(offset, 4, value);
        }
    }

    /// Plain little-endian load; may straddle pages.
    public long getLong(long offset) {
        check(offset, 8);
        long in = offset & PAGE_MASK;
        if (in <= PAGE_MASK - 7) {
            return page(offset).get(LONG_LE, in);
        }
        return getStraddling(offset, 8);
    }

    /// Plain little-endian store; may straddle pages.
    public void putLong(long offset, long value) {
        check(offset, 8);
        long in = offset & PAGE_MASK;
        if (in <= PAGE_MASK - 7) {
            page(offset).set(LONG_LE, in, value);
        } else {
            putStraddling(offset, 8, value);
        }
    }

    /// Acquire load of an aligned 32-bit word (pairs with a release store by the writer).
    public int getIntAcquire(long offset) {
        checkAligned(offset);
        // ORDERING: acquire; later loads of the mapping see what the releasing writer stored before.
        return (int) INT_ALIGNED.getAcquire(page(offset), offset & PAGE_MASK);
    }

    /// Release store of an aligned 32-bit word (publishes earlier stores to an acquiring reader).
    public void putIntRelease(long offset, int value) {
        checkAligned(offset);
        // ORDERING: release; every earlier store to the mapping is visible before this word.
        INT_ALIGNED.setRelease(page(offset), offset & PAGE_MASK, value);
    }

    private void checkAligned(long offset) {
        check(offset, 4);
        if ((offset & 3) != 0) {
            throw new IllegalArgumentException("unaligned atomic access at 0x" + Long.toHexString(offset));
        }
    }

    private long getStraddling(long offset, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            long o = offset + i;
            v |= (page(o).get(ValueLayout.JAVA_BYTE, o & PAGE_MASK) & 0xFFL) << (8 * i);
        }
        return v;
    }

    private void putStraddling(long offset, int n, long value) {
        for (int i = 0; i < n; i++) {
            long o = offset + i;
            page(o).set(ValueLayout.JAVA_BYTE, o & PAGE_MASK, (byte) (value >>> (8 * i)));
        }
    }

    /// Copies all of `src` into the object at `offset`.
    public void copyFrom(long offset, MemorySegment src) {
        long len = src.byteSize();
        check(offset, len);
        long done = 0;
        while (done < len) {
            long o = offset + done;
            long n = Math.min(len - done, (PAGE_MASK + 1) - (o & PAGE_MASK));
            MemorySegment.copy(src, done, page(o), o & PAGE_MASK, n);
            done += n;
        }
    }

    /// Fills all of `dst` from the object at `offset`.
    public void copyTo(long offset, MemorySegment dst) {
        long len = dst.byteSize();
        check(offset, len);
        long done = 0;
        while (done < len) {
            long o = offset + done;
            long n = Math.min(len - done, (PAGE_MASK + 1) - (o & PAGE_MASK));
            MemorySegment.copy(page(o), o & PAGE_MASK, dst, done, n);
            done += n;
        }
    }

    @Override
    public String toString() {
        return "shmem vmap (" + size + " bytes" + (valid ? ")" : ", unmapped)");
    }
}
