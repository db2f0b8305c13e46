package dev.gpuemu.kernel.vfs;

import java.lang.foreign.MemorySegment;

/// `current`: the kernel's view of the process making a syscall.
///
/// ## Thread safety
/// Thread-safe; the copy functions are allocation-free.
public interface Task {
    /// `CAP_SYS_ADMIN` (linux/capability.h).
    int CAP_SYS_ADMIN = 21;

    int pid();

    /// `capable(cap)`.
    boolean capable(int cap);

    /// `copy_from_user`: false when any byte of `[va, va + length)` faults (the caller returns
    /// `-EFAULT`); `length == 0` always succeeds.
    boolean copyFromUser(MemorySegment dst, long dstOffset, long va, long length);

    /// `copy_to_user`: false when any byte faults.
    boolean copyToUser(long va, MemorySegment src, long srcOffset, long length);

    /// `fd_install` of a new fd (lowest free) for `file`, taking a new reference to it; `flags`
    /// may hold `O_CLOEXEC`. Returns the fd or `-EMFILE`.
    int installFd(KFile file, int flags);

    /// `fget`: the open file behind `fd` with a new reference (the caller must `put()` it), or
    /// null when the fd is not open.
    KFile fget(int fd);
}
