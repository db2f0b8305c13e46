package dev.gpuemu.kernel.proc;

import dev.gpuemu.kernel.sync.Srcu;
import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.uapi.UserFault;
import dev.gpuemu.kernel.uapi.UserMemory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/// The translation path shared by user code's loads and stores ([UserMemory]) and the kernel's
/// `copy_from_user`/`copy_to_user`: VMA lookup, protection check, page table entry, fault-in of
/// a missing entry, then the memory access — chunk by chunk when an access spans pages or VMAs.
///
/// Each chunk runs inside one read section of the [Mm]'s SRCU domain (lookup *and* access), so
/// an unmap or zap that returned cannot race with it; a missing entry leaves the section and
/// faults through [Mm#faultIn], then retries.
///
/// ## Thread safety
/// Thread-safe; the hit path allocates nothing (only the first use of the domain on a thread
/// registers an SRCU slot). Faults allocate the `UserFault`.
final class UserAccess implements UserMemory {
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long PAGE_MASK = Fcntl.PAGE_SIZE - 1;

    private static final int READ = 0;
    private static final int WRITE = 1;
    private static final int FILL = 2;

    private final Mm mm;
    private final Srcu srcu;

    UserAccess(Mm mm) {
        this.mm = mm;
        this.srcu = mm.srcu();
    }

    /// The VMA for `va` allowing `need`; throws `SIGSEGV`. Call inside a read section.
    private MmVma translate(long va, int need) {
        MmVma v = mm.find(va);
        if (v == null) {
            throw Mm.segv(va, "no mapping");
        }
        if ((v.prot & need) != need) {
            throw Mm.segv(va, (need & Fcntl.PROT_WRITE) != 0 ? "write to a read-only mapping" : "read of an unreadable mapping");
        }
        return v;
    }

    private static boolean crossesPage(long va, int size) {
        return (va & PAGE_MASK) > Fcntl.PAGE_SIZE - size;
    }

    @Override
    public byte getByte(long va) {
        while (true) {
            int idx = srcu.readLock();
            try {
                MmVma v = translate(va, Fcntl.PROT_READ);
                MemorySegment s = v.segment(va);
                if (s != null) {
                    return s.get(ValueLayout.JAVA_BYTE, v.offset(va));
                }
            } finally {
                srcu.readUnlock(idx);
            }
            mm.faultIn(va, Fcntl.PROT_READ);
        }
    }

    @Override
    public void putByte(long va, byte value) {
        while (true) {
            int idx = srcu.readLock();
            try {
                MmVma v = translate(va, Fcntl.PROT_WRITE);
                MemorySegment s = v.segment(va);
                if (s != null) {
                    s.set(ValueLayout.JAVA_BYTE, v.offset(va), value);
                    return;
                }
            } finally {
                srcu.readUnlock(idx);
            }
            mm.faultIn(va, Fcntl.PROT_WRITE);
        }
    }

    @Override
    public int getInt(long va) {
        if (crossesPage(va, 4)) {
            return (int) gather(va, 4);
        }
        while (true) {
            int idx = srcu.readLock();
            try {
                MmVma v = translate(va, Fcntl.PROT_READ);
                MemorySegment s = v.segment(va);
                if (s != null) {
                    return s.get(INT_LE, v.offset(va));
                }
            } finally {
                srcu.readUnlock(idx);
            }
            mm.faultIn(va, Fcntl.PROT_READ);
        }
    }

    @Override
    public void putInt(long va, int value) {
        if (crossesPage(va, 4)) {
            scatter(va, value, 4);
            return;
        }
        while (true) {
            int idx = srcu.readLock();
            try {
                MmVma v = translate(va, Fcntl.PROT_WRITE);
                MemorySegment s = v.segment(va);
                if (s != null) {
                    s.set(INT_LE, v.offset(va), value);
                    return;
                }
            } finally {
                srcu.readUnlock(idx);
            }
            mm.faultIn(va, Fcntl.PROT_WRITE);
        }
    }

    @Override
    public long getLong(long va) {
        if (crossesPage(va, 8)) {
            return gather(va, 8);
        }
        while (true) {
            int idx = srcu.readLock();
            try {
                MmVma v = translate(va, Fcntl.PROT_READ);
                MemorySegment s = v.segment(va);
                if (s != null) {
                    return s.get(LONG_LE, v.offset(va));
                }
            } finally {
                srcu.readUnlock(idx);
            }
            mm.faultIn(va, Fcntl.PROT_READ);
        }
    }

    @Override
    public void putLong(long va, long value) {
        if (crossesPage(va, 8)) {
            scatter(va, value, 8);
            return;
        }
        while (true) {
            int idx = srcu.readLock();
            try {
                MmVma v = translate(va, Fcntl.PROT_WRITE);
                MemorySegment s = v.segment(va);
                if (s != null) {
                    s.set(LONG_LE, v.offset(va), value);
                    return;
                }
            } finally {
                srcu.readUnlock(idx);
            }
            mm.faultIn(va, Fcntl.PROT_WRITE);
        }
    }

    /// A little-endian value that straddles a page boundary, byte by byte (not atomic).
    private long gather(long va, int size) {
        long value = 0;
        for (int i = 0; i < size; i++) {
            value |= (getByte(va + i) & 0xffL) << (8 * i);
        }
        return value;
    }

    private void scatter(long va, long value, int size) {
        for (int i = 0; i < size; i++) {
            putByte(va + i, (byte) (value >>> (8 * i)));
        }
    }

    @Override
    public void read(long va, MemorySegment dst, long dstOffset, long length) {
        transfer(READ, va, dst, dstOffset, length, (byte) 0);
    }

    @Override
    public void write(long va, MemorySegment src, long srcOffset, long length) {
        transfer(WRITE, va, src, srcOffset, length, (byte) 0);
    }

    @Override
    public void fill(long va, long length, byte value) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        transfer(FILL, va, null, 0, length, value);
    }

    /// `copy_from_user`: false when any byte faults.
    boolean copyFromUser(MemorySegment dst, long dstOffset, long va, long length) {
        try {
            transfer(READ, va, dst, dstOffset, length, (byte) 0);
            return true;
        } catch (UserFault f) {
            return false;
        }
    }

    /// `copy_to_user`: false when any byte faults.
    boolean copyToUser(long va, MemorySegment src, long srcOffset, long length) {
        try {
            transfer(WRITE, va, src, srcOffset, length, (byte) 0);
            return true;
        } catch (UserFault f) {
            return false;
        }
    }

    /// Copies or fills chunk by chunk; each chunk lies in one page table entry (file mappings) or
    /// one VMA (anonymous memory). Throws `UserFault` at the first byte that faults; the chunks
    /// before it are done.
    private void transfer(int mode, long va, MemorySegment buf, long bufOffset, long length, byte value) {
        if (buf != null) {
            Objects.checkFromIndexSize(bufOffset, length, buf.byteSize());
        }
        int need = mode == READ ? Fcntl.PROT_READ : Fcntl.PROT_WRITE;
        long done = 0;
        while (done < length) {
            long at = va + done;
            long n = 0;
            int idx = srcu.readLock();
            try {
                MmVma v = translate(at, need);
                MemorySegment s = v.segment(at);
                if (s != null) {
                    n = Math.min(length - done, v.chunk(at));
                    long off = v.offset(at);
                    switch (mode) {
                        case READ -> MemorySegment.copy(s, off, buf, bufOffset + done, n);
                        case WRITE -> MemorySegment.copy(buf, bufOffset + done, s, off, n);
                        default -> s.asSlice(off, n).fill(value);
                    }
                }
            } finally {
                srcu.readUnlock(idx);
            }
            if (n == 0) {
                mm.faultIn(at, need);
            }
            done += n;
        }
    }
}
