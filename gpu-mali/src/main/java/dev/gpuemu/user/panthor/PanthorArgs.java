package dev.gpuemu.user.panthor;

import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.uapi.Ioc;
import dev.gpuemu.kernel.uapi.Syscalls;
import dev.gpuemu.kernel.uapi.UserMemory;
import dev.gpuemu.user.drm.DrmErrnoException;
import java.lang.foreign.MemorySegment;

/// A [PanthorClient]'s argument memory: one anonymous read/write mapping in the process (the
/// ioctl struct at offset 0, then a data area for the obj_arrays and strings it points to) and a
/// host staging segment in which the uAPI `VarHandle`s build the struct. A call copies the staged
/// struct to user memory, issues the ioctl and copies it back, as a C program's stack struct.
///
/// ## Invariants
/// `va` is a live anonymous mapping of `size >= STRUCT_BYTES` bytes until [#close()].
///
/// ## Thread safety
/// Not thread-safe: confined to its client's thread.
///
/// ## Lifecycle
/// [#map] → used → [#close()] once (the mapping is unmapped); a second close throws.
final class PanthorArgs {
    /// Bytes reserved for the ioctl struct (the largest panthor struct is 56).
    static final int STRUCT_BYTES = 128;
    private static final long INITIAL_BYTES = 2L * Fcntl.PAGE_SIZE;

    private final Syscalls sys;
    private final UserMemory mem;
    /// `long[]`-backed: aligned like the C structs.
    private final MemorySegment arg = MemorySegment.ofArray(new long[STRUCT_BYTES / Long.BYTES]);
    private long va;
    private long size;
    private boolean closed;

    private PanthorArgs(Syscalls sys, long va, long size) {
        this.sys = sys;
        this.mem = sys.memory();
        this.va = va;
        this.size = size;
    }

    static PanthorArgs map(Syscalls sys) {
        return new PanthorArgs(sys, anon(sys, INITIAL_BYTES), INITIAL_BYTES);
    }

    private static long anon(Syscalls sys, long bytes) {
        long addr = sys.mmap(0, bytes, Fcntl.PROT_READ | Fcntl.PROT_WRITE, Fcntl.MAP_PRIVATE | Fcntl.MAP_ANONYMOUS,
                -1, 0);
        if (addr < 0 && addr > -Fcntl.PAGE_SIZE) {
            throw new DrmErrnoException("mmap", addr);
        }
        return addr;
    }

    /// The staging segment, zeroed.
    MemorySegment begin() {
        check();
        arg.fill((byte) 0);
        return arg;
    }

    /// The user address of a zeroed data area of at least `bytes` bytes, valid until the next
    /// call of this method (the staged struct is kept).
    long data(long bytes) {
        check();
        long need = STRUCT_BYTES + bytes;
        if (need > size) {
            long grown = Math.max(size * 2, (need + Fcntl.PAGE_SIZE - 1) & -(long) Fcntl.PAGE_SIZE);
            long fresh = anon(sys, grown);
            int r = sys.munmap(va, size);
            va = fresh;
            size = grown;
            if (r != 0) {
                throw new DrmErrnoException("munmap", r);
            }
        }
        mem.fill(va + STRUCT_BYTES, bytes, (byte) 0);
        return va + STRUCT_BYTES;
    }

    UserMemory memory() {
        return mem;
    }

    /// Copies the staged struct to user memory, issues `cmd` (again on `EINTR`/`EAGAIN`, as
    /// libdrm's `drmIoctl`), copies the struct back (also on failure).
    ///
    /// @return 0 or `-errno`
    int ioctl(int fd, int cmd) {
        check();
        int n = Ioc.size(cmd);
        if (n > STRUCT_BYTES) {
            throw new IllegalArgumentException("struct of " + Ioc.toString(cmd) + " exceeds " + STRUCT_BYTES + " bytes");
        }
        mem.write(va, arg, 0, n);
        int r;
        do {
            r = sys.ioctl(fd, cmd, va);
        } while (r == Errno.EINTR.negative() || r == Errno.EAGAIN.negative());
        mem.read(va, arg, 0, n);
        return r;
    }

    private void check() {
        if (closed) {
            throw new IllegalStateException("panthor client arguments already unmapped");
        }
    }

    /// Unmaps the area.
    ///
    /// @return 0 or munmap's `-errno`
    /// @throws IllegalStateException on a second close
    int close() {
        check();
        closed = true;
        return sys.munmap(va, size);
    }
}
