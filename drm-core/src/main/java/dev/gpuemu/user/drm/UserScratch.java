package dev.gpuemu.user.drm;

import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.uapi.Ioc;
import dev.gpuemu.kernel.uapi.Syscalls;
import dev.gpuemu.kernel.uapi.UserMemory;
import java.lang.foreign.MemorySegment;

/// A client's argument memory: one anonymous read/write mapping in the process (the user
/// address every ioctl is given) and a host staging segment in which the uAPI `VarHandle`s
/// build the struct. A call copies the staged struct to user memory, issues the ioctl and copies
/// the struct back, as a C program's stack struct would be passed.
///
/// Layout of the mapping: the ioctl struct at offset 0 ([#STRUCT_BYTES] bytes, more than any
/// DRM struct), then a data area for the arrays and strings the struct points to. The mapping
/// grows (a new mapping replaces the old) when a call needs a larger data area.
///
/// ## Invariants
/// `va` is a live anonymous mapping of `size >= STRUCT_BYTES` bytes until [#close()].
///
/// ## Thread safety
/// Not thread-safe: confined to its client's thread.
///
/// ## Lifecycle
/// [#map] → used → [#close()] once (the mapping is unmapped); a call after close throws
/// `IllegalStateException`.
///
/// Public so driver client libraries (`dev.gpuemu.user.panthor`) share it.
public final class UserScratch {
    /// Bytes reserved for the ioctl struct itself.
    public static final int STRUCT_BYTES = 256;
    private static final long INITIAL_BYTES = 2L * Fcntl.PAGE_SIZE;

    private final Syscalls sys;
    private final UserMemory mem;
    /// Host staging for the struct; `long[]`-backed, so aligned like the C structs.
    private final MemorySegment arg = MemorySegment.ofArray(new long[STRUCT_BYTES / Long.BYTES]);
    private long va;
    private long size;
    private boolean closed;

    private UserScratch(Syscalls sys, long va, long size) {
        this.sys = sys;
        this.mem = sys.memory();
        this.va = va;
        this.size = size;
    }

    /// Maps the scratch area in `sys`'s process.
    ///
    /// @throws DrmErrnoException when the anonymous mmap fails
    public static UserScratch map(Syscalls sys) {
        return new UserScratch(sys, anon(sys, INITIAL_BYTES), INITIAL_BYTES);
    }

    private static long anon(Syscalls sys, long bytes) {
        long addr = sys.mmap(0, bytes, Fcntl.PROT_READ | Fcntl.PROT_WRITE, Fcntl.MAP_PRIVATE | Fcntl.MAP_ANONYMOUS, -1, 0);
        if (UserMapping.isError(addr)) {
            throw new DrmErrnoException("mmap", addr);
        }
        return addr;
    }

    /// The staging segment, zeroed: set the struct's fields here, then [#ioctl].
    public MemorySegment begin() {
        check();
        arg.fill((byte) 0);
        return arg;
    }

    /// The staging segment as the last [#ioctl] left it (read output fields here).
    public MemorySegment arg() {
        return arg;
    }

    /// The user address of a data area of at least `bytes` bytes (valid until the next call of
    /// this method; the struct staged by [#begin] is kept).
    public long data(long bytes) {
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
        return va + STRUCT_BYTES;
    }

    /// The user memory of the process.
    public UserMemory memory() {
        return mem;
    }

    /// Copies the staged struct (`_IOC_SIZE(cmd)` bytes) to user memory, issues `cmd` on `fd`
    /// (again while it answers `EINTR` or `EAGAIN`, as libdrm's `drmIoctl` does) and copies the
    /// struct back, also on failure (the kernel copies out either way).
    ///
    /// @return 0 or the ioctl's raw result, `-errno` on failure
    public int ioctl(int fd, int cmd) {
        check();
        int n = Ioc.size(cmd);
        if (n > STRUCT_BYTES) {
            throw new IllegalArgumentException("struct of " + Ioc.toString(cmd) + " exceeds " + STRUCT_BYTES + " bytes");
        }
        mem.write(va, arg, 0, n);
        int r = retrying(fd, cmd, va);
        mem.read(va, arg, 0, n);
        return r;
    }

    /// The raw path: `userArg` is copied into the data area (zero-extended to `_IOC_SIZE(cmd)`),
    /// `cmd` is issued once, and `userArg.byteSize()` bytes are copied back.
    public int ioctlRaw(int fd, int cmd, MemorySegment userArg) {
        long n = Math.max(userArg.byteSize(), Ioc.size(cmd));
        long at = data(n);
        mem.fill(at, n, (byte) 0);
        mem.write(at, userArg, 0, userArg.byteSize());
        int r = sys.ioctl(fd, cmd, at);
        mem.read(at, userArg, 0, userArg.byteSize());
        return r;
    }

    private int retrying(int fd, int cmd, long argp) {
        int r;
        do {
            r = sys.ioctl(fd, cmd, argp);
        } while (r == Errno.EINTR.negative() || r == Errno.EAGAIN.negative());
        return r;
    }

    /// Unmaps the area.
    ///
    /// @throws IllegalStateException on a second close
    /// @return 0 or munmap's `-errno` (e.g. `-ESRCH` after the process exited)
    public int close() {
        check();
        closed = true;
        return sys.munmap(va, size);
    }

    /// Like [#data], and the area is zeroed (for arrays whose unused fields must read 0).
    public long zeroedData(long bytes) {
        long at = data(bytes);
        mem.fill(at, bytes, (byte) 0);
        return at;
    }

    private void check() {
        if (closed) {
            throw new IllegalStateException("scratch already closed");
        }
    }
}
