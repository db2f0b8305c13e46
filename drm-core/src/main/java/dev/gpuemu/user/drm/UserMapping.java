package dev.gpuemu.user.drm;

import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.uapi.Syscalls;
import dev.gpuemu.kernel.uapi.UserMemory;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/// One shared `mmap` of a file (a DRM fd at a GEM fake offset, or a dma-buf fd at 0) in the
/// process, with bounds-checked loads and stores relative to its start. Accesses go through
/// [UserMemory] like any user load or store: a page that is gone faults with
/// `dev.gpuemu.kernel.uapi.UserFault` (SIGBUS, SIGSEGV), which reaches the caller unchanged.
///
/// ## Invariants
/// `address()` is page aligned; `[address, address + length)` was mapped by this object and
/// stays mapped until [#close()] (unless the program unmaps it behind this object's back).
///
/// ## Thread safety
/// Loads and stores are as thread-safe as [UserMemory]; `close` is once-only and atomic.
///
/// ## Lifecycle
/// [#map] → [#close()] once (`munmap`); a second close throws `IllegalStateException`.
public final class UserMapping implements AutoCloseable {
    private final Syscalls sys;
    private final UserMemory mem;
    private final long address;
    private final long length;
    private final AtomicBoolean closed = new AtomicBoolean();

    private UserMapping(Syscalls sys, long address, long length) {
        this.sys = sys;
        this.mem = sys.memory();
        this.address = address;
        this.length = length;
    }

    /// `mmap(NULL, length, prot, MAP_SHARED, fd, offset)`.
    ///
    /// @throws DrmErrnoException with the kernel's error (`EACCES`, `EINVAL`, `ENODEV`, `EBADF`)
    public static UserMapping map(Syscalls sys, int fd, long offset, long length, int prot) {
        Objects.requireNonNull(sys, "sys");
        if (length <= 0) {
            throw new IllegalArgumentException("length must be > 0, got " + length);
        }
        long addr = sys.mmap(0, length, prot, Fcntl.MAP_SHARED, fd, offset);
        if (isError(addr)) {
            throw new DrmErrnoException("mmap", addr);
        }
        return new UserMapping(sys, addr, length);
    }

    /// Whether an `mmap` result is `-errno` (in `[-4095, -1]`) rather than an address.
    static boolean isError(long result) {
        return result < 0 && result >= -4095;
    }

    /// Start address in the process.
    public long address() {
        return address;
    }

    public long length() {
        return length;
    }

    public byte getByte(long offset) {
        return mem.getByte(at(offset, 1));
    }

    public void putByte(long offset, byte value) {
        mem.putByte(at(offset, 1), value);
    }

    public int getInt(long offset) {
        return mem.getInt(at(offset, 4));
    }

    public void putInt(long offset, int value) {
        mem.putInt(at(offset, 4), value);
    }

    public long getLong(long offset) {
        return mem.getLong(at(offset, 8));
    }

    public void putLong(long offset, long value) {
        mem.putLong(at(offset, 8), value);
    }

    /// memset of `count` bytes from `offset`.
    public void fill(long offset, long count, byte value) {
        mem.fill(at(offset, count), count, value);
    }

    /// Copies `count` bytes from `offset` into `dst` at `dstOffset`.
    public void read(long offset, MemorySegment dst, long dstOffset, long count) {
        mem.read(at(offset, count), dst, dstOffset, count);
    }

    /// Copies `count` bytes of `src` from `srcOffset` to `offset`.
    public void write(long offset, MemorySegment src, long srcOffset, long count) {
        mem.write(at(offset, count), src, srcOffset, count);
    }

    private long at(long offset, long count) {
        if (closed.get()) {
            throw new IllegalStateException("mapping at 0x" + Long.toHexString(address) + " is closed");
        }
        Objects.checkFromIndexSize(offset, count, length);
        return address + offset;
    }

    /// `munmap`.
    ///
    /// @throws IllegalStateException on a second close
    /// @throws DrmErrnoException when munmap fails (e.g. `ESRCH` after the process exited)
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            throw new IllegalStateException("mapping at 0x" + Long.toHexString(address) + " already closed");
        }
        int r = sys.munmap(address, length);
        if (r != 0) {
            throw new DrmErrnoException("munmap", r);
        }
    }

    @Override
    public String toString() {
        return "mapping 0x" + Long.toHexString(address) + "+" + length + (closed.get() ? " (closed)" : "");
    }
}
