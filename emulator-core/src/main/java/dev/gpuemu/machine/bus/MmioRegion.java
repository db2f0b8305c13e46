package dev.gpuemu.machine.bus;

import dev.gpuemu.machine.GuestErrors;
import dev.gpuemu.machine.GuestErrors.Kind;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import net.openhft.chronicle.bytes.BytesStore;

/// A device's MMIO window (a BAR or a platform device's register page) of `size` bytes, made of
/// register blocks (served by a [RegisterHandler]) and memory ranges (served directly from the
/// backing store), with holes between them. Built with [#builder(String, long)].
///
/// The backing store is one Chronicle [BytesStore] of `size` bytes (off-heap, zeroed at build). All
/// typed accesses go through a [MemorySegment] view whose lifetime is an [Arena] closed by
/// [#close()], so a use after close fails with `IllegalStateException` instead of touching freed
/// memory. The device model may use the whole store, including the bytes behind register blocks
/// (a convenient place to keep register values).
///
/// ## Guest access rules (applied by [MmioBus])
/// 1. An access that starts in a hole is `UNASSIGNED_ACCESS`; one that ends past its block is
///    `INVALID_ACCESS_SIZE` (an access never straddles blocks).
/// 2. Its size must be within the block's `valid` range (`INVALID_ACCESS_SIZE`) and it must be
///    aligned to its size unless `unalignedValid` (`UNALIGNED_ACCESS`).
/// 3. Rejected reads answer open bus (all ones), rejected writes are dropped.
/// 4. Register blocks: accesses wider than `implMax` are split into `implMax` pieces, little-endian,
///    low address first; narrower than `implMin` are widened: a read reads `implMin` and extracts, a
///    write does read-modify-write through the handler. **Blocks whose reads have side effects
///    (clear-on-read, FIFO pop) must not declare `validMin < implMin`.** The handler runs with
///    [#deviceLock()] held, for all pieces of one access.
/// 5. Memory ranges: direct little-endian access to the store, no lock; writes to a read-only range
///    are `READ_ONLY_WRITE` and dropped.
///
/// ## Memory ordering (the pairing rule)
/// A release store (`putXxxRelease`, or any bus write to a memory range) makes every write its
/// thread made before it visible to a thread whose acquire load (`getXxxAcquire`, or any bus read
/// of a memory range) reads the stored value. Plain accessors promise nothing across threads;
/// use them only for data published by such a pair or by [#deviceLock()]. Volatile accessors are
/// sequentially consistent, for Dekker-style handshakes (both sides store, then load the other).
///
/// ## Invariants
/// Blocks lie inside `[0, size)` and do not overlap; register blocks are aligned to `implMax`.
///
/// ## Thread safety
/// Accessors may be used from any thread. Register handlers are serialised by [#deviceLock()].
///
/// ## Lifecycle
/// Built, then mapped on a bus (possibly several times over its life), then unmapped, then
/// [#close()]d exactly once. A second `close()` throws.
public final class MmioRegion implements AutoCloseable {

    private static final VarHandle BYTE = LeLayouts.BYTE.varHandle();
    private static final VarHandle SHORT = LeLayouts.SHORT.varHandle();
    private static final VarHandle INT = LeLayouts.INT.varHandle();
    private static final VarHandle LONG = LeLayouts.LONG.varHandle();

    private final String name;
    private final long size;
    private final RegionBlock[] blocks;
    private final long[] starts;
    private final ReentrantLock deviceLock = new ReentrantLock();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment mem;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MmioRegion(String name, long size, RegionBlock[] blocks) {
        this.name = name;
        this.size = size;
        this.blocks = blocks;
        this.starts = new long[blocks.length];
        for (int i = 0; i < blocks.length; i++) {
            starts[i] = blocks[i].start;
        }
        BytesStore<?, Void> store = BytesStore.nativeStoreWithFixedCapacity(size);
        long addr = store.addressForRead(0);
        // UNSAFE: `addr` is the start of `store`'s `size` native bytes, owned by this region. The view
        // is scoped to `arena`, whose close() (only in this.close()) first invalidates every view and
        // then runs the cleanup that frees the store, so no access can reach freed memory.
        this.mem = MemorySegment.ofAddress(addr).reinterpret(size, arena, _ -> store.releaseLast());
        mem.fill((byte) 0);
    }

    /// Starts building a region called `name` (used in guest-error reports) of `size` bytes.
    public static Builder builder(String name, long size) {
        return new Builder(name, size);
    }

    /// The region's name.
    public String name() {
        return name;
    }

    /// The region's size in bytes.
    public long size() {
        return size;
    }

    /// The lock held around every register-handler call; device models take it in their own
    /// (clock-thread) callbacks to serialise against guest register accesses.
    public ReentrantLock deviceLock() {
        return deviceLock;
    }

    /// A view of `length` bytes at `offset` for bulk copies (e.g. `MemorySegment.copy`, vector
    /// loops). Valid until [#close()]; afterwards every access through it throws.
    public MemorySegment segment(long offset, long length) {
        return mem.asSlice(offset, length);
    }

    // --- guest access dispatch (called by MmioBus) ---

    long read(long off, AccessSize size, GuestErrors errors) {
        RegionBlock b = find(off);
        int n = size.bytes();
        if (b == null) {
            errors.report(Kind.UNASSIGNED_ACCESS, name, "read of a hole in the region", off);
            return size.mask();
        }
        if (!b.admit(this, off, n, false, errors)) {
            return size.mask();
        }
        return b.handler == null ? b.readMemory(this, off, n) : b.readRegisters(this, off, n);
    }

    void write(long off, AccessSize size, long value, GuestErrors errors) {
        RegionBlock b = find(off);
        int n = size.bytes();
        if (b == null) {
            errors.report(Kind.UNASSIGNED_ACCESS, name, "write to a hole in the region", off);
            return;
        }
        if (!b.admit(this, off, n, true, errors)) {
            return;
        }
        long v = value & size.mask();
        if (b.handler != null) {
            b.writeRegisters(this, off, n, v);
        } else if (b.readOnly) {
            errors.report(Kind.READ_ONLY_WRITE, name, "write to read-only memory", off);
        } else {
            b.writeMemory(this, off, n, v);
        }
    }

    private RegionBlock find(long off) {
        if (off < 0 || off >= size) {
            return null;
        }
        int lo = 0;
        int hi = starts.length - 1;
        int found = -1;
        while (lo <= hi) { // last block with start <= off
            int mid = (lo + hi) >>> 1;
            if (starts[mid] <= off) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0) {
            return null;
        }
        RegionBlock b = blocks[found];
        return off < b.end ? b : null;
    }

    // --- typed accessors for the device model (offsets relative to the region, little-endian) ---

    /// Plain byte load.
    public byte getByte(long offset) {
        return (byte) BYTE.get(mem, offset);
    }

    /// Plain byte store.
    public void putByte(long offset, byte value) {
        BYTE.set(mem, offset, value);
    }

    /// Plain 32-bit load (no cross-thread guarantee; offset 4-aligned).
    public int getIntPlain(long offset) {
        return (int) INT.get(mem, offset);
    }

    /// Acquire 32-bit load: pairs with a release store of the same location.
    public int getIntAcquire(long offset) {
        return (int) INT.getAcquire(mem, offset);
    }

    /// Volatile (sequentially consistent) 32-bit load.
    public int getIntVolatile(long offset) {
        return (int) INT.getVolatile(mem, offset);
    }

    /// Plain 32-bit store.
    public void putIntPlain(long offset, int value) {
        INT.set(mem, offset, value);
    }

    /// Release 32-bit store: publishes every earlier write to an acquire load of this location.
    public void putIntRelease(long offset, int value) {
        INT.setRelease(mem, offset, value);
    }

    /// Volatile (sequentially consistent) 32-bit store.
    public void putIntVolatile(long offset, int value) {
        INT.setVolatile(mem, offset, value);
    }

    /// Volatile 32-bit compare-and-set.
    public boolean compareAndSetInt(long offset, int expected, int value) {
        return INT.compareAndSet(mem, offset, expected, value);
    }

    /// Plain 64-bit load (offset 8-aligned).
    public long getLongPlain(long offset) {
        return (long) LONG.get(mem, offset);
    }

    /// Acquire 64-bit load.
    public long getLongAcquire(long offset) {
        return (long) LONG.getAcquire(mem, offset);
    }

    /// Volatile 64-bit load.
    public long getLongVolatile(long offset) {
        return (long) LONG.getVolatile(mem, offset);
    }

    /// Plain 64-bit store.
    public void putLongPlain(long offset, long value) {
        LONG.set(mem, offset, value);
    }

    /// Release 64-bit store.
    public void putLongRelease(long offset, long value) {
        LONG.setRelease(mem, offset, value);
    }

    /// Volatile 64-bit store.
    public void putLongVolatile(long offset, long value) {
        LONG.setVolatile(mem, offset, value);
    }

    // Package-private accessors used by bus dispatch of memory ranges.

    byte getByteAcquire(long offset) {
        return (byte) BYTE.getAcquire(mem, offset);
    }

    void putByteRelease(long offset, byte value) {
        BYTE.setRelease(mem, offset, value);
    }

    short getShortAcquire(long offset) {
        return (short) SHORT.getAcquire(mem, offset);
    }

    void putShortRelease(long offset, short value) {
        SHORT.setRelease(mem, offset, value);
    }

    short getShortUnalignedPlain(long offset) {
        return mem.get(LeLayouts.SHORT_UNALIGNED, offset);
    }

    void putShortUnalignedPlain(long offset, short value) {
        mem.set(LeLayouts.SHORT_UNALIGNED, offset, value);
    }

    int getIntUnalignedPlain(long offset) {
        return mem.get(LeLayouts.INT_UNALIGNED, offset);
    }

    void putIntUnalignedPlain(long offset, int value) {
        mem.set(LeLayouts.INT_UNALIGNED, offset, value);
    }

    long getLongUnalignedPlain(long offset) {
        return mem.get(LeLayouts.LONG_UNALIGNED, offset);
    }

    void putLongUnalignedPlain(long offset, long value) {
        mem.set(LeLayouts.LONG_UNALIGNED, offset, value);
    }

    /// Releases the backing memory. Unmap the region from every bus first.
    ///
    /// @throws IllegalStateException on a second call
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            throw new IllegalStateException("MMIO region " + name + " already closed");
        }
        arena.close();
    }

    @Override
    public String toString() {
        return "MmioRegion[" + name + ", 0x" + Long.toHexString(size) + " bytes]";
    }

    /// Collects blocks and builds an [MmioRegion]; layout mistakes are emulator bugs and throw
    /// `IllegalArgumentException` at [#build()].
    public static final class Builder {
        private final String name;
        private final long size;
        private final List<RegionBlock> blocks = new ArrayList<>();

        private Builder(String name, long size) {
            this.name = Objects.requireNonNull(name, "name");
            if (size <= 0) {
                throw new IllegalArgumentException("region size must be positive: " + size);
            }
            this.size = size;
        }

        /// Adds a register block at `offset` of `length` bytes served by `handler`. `offset` and
        /// `length` must be multiples of `spec.implMax()`.
        public Builder registers(long offset, long length, AccessSpec spec, RegisterHandler handler) {
            Objects.requireNonNull(spec, "spec");
            Objects.requireNonNull(handler, "handler");
            if (offset % spec.implMax() != 0 || length % spec.implMax() != 0) {
                throw new IllegalArgumentException(name + ": register block 0x" + Long.toHexString(offset)
                        + "+0x" + Long.toHexString(length) + " not aligned to implMax " + spec.implMax());
            }
            blocks.add(new RegionBlock(offset, checkRange(offset, length), spec, handler, false));
            return this;
        }

        /// Adds a memory range at `offset` of `length` bytes, accessed directly on the store.
        public Builder memory(long offset, long length, AccessSpec spec, boolean readOnly) {
            Objects.requireNonNull(spec, "spec");
            blocks.add(new RegionBlock(offset, checkRange(offset, length), spec, null, readOnly));
            return this;
        }

        private long checkRange(long offset, long length) {
            if (offset < 0 || length <= 0 || offset > size - length) {
                throw new IllegalArgumentException(name + ": block 0x" + Long.toHexString(offset) + "+0x"
                        + Long.toHexString(length) + " outside region of 0x" + Long.toHexString(size));
            }
            return offset + length;
        }

        /// Checks that no two blocks overlap and allocates the region.
        public MmioRegion build() {
            RegionBlock[] sorted = blocks.toArray(RegionBlock[]::new);
            java.util.Arrays.sort(sorted, Comparator.comparingLong(b -> b.start));
            for (int i = 1; i < sorted.length; i++) {
                if (sorted[i].start < sorted[i - 1].end) {
                    throw new IllegalArgumentException(name + ": blocks at 0x" + Long.toHexString(sorted[i - 1].start)
                            + " and 0x" + Long.toHexString(sorted[i].start) + " overlap");
                }
            }
            return new MmioRegion(name, size, sorted);
        }
    }
}
