package dev.gpuemu.kernel.uapi;

/// The syscall surface of one emulated process: what a userspace program may call.
///
/// Return values follow the raw Linux syscall convention: a non-negative result, or `-errno`
/// ([Errno#negative()]). `mmap` returns the mapped address or `-errno` (an address is never in
/// `[-4095, -1]`).
///
/// Anonymous memory for ioctl argument structs comes from
/// `mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)`; userspace reads and
/// writes it, and any mapping, through [#memory()].
///
/// ## Thread safety
/// Thread-safe: a process may have several threads issuing syscalls at once, as in Linux.
///
/// ## Lifecycle
/// spawned → [#close()] once (process exit: every fd closed, every mapping unmapped); a second
/// close throws `IllegalStateException`; syscalls after exit return `-ESRCH`.
public interface Syscalls extends AutoCloseable {
    /// `open(2)`: a device node path such as `/dev/dri/renderD128`. Returns the lowest free fd.
    int open(String path, int flags);

    /// `close(2)`: `-EBADF` for an fd that is not open.
    int close(int fd);

    /// `dup(2)`: a new fd (lowest free) sharing the same open file.
    int dup(int fd);

    /// `ioctl(2)`: `argp` is a user address (0 is allowed; the kernel faults on it when it copies).
    int ioctl(int fd, int cmd, long argp);

    /// `mmap(2)`; `offset` must be page aligned.
    long mmap(long addr, long length, int prot, int flags, int fd, long offset);

    /// `munmap(2)`: whole VMAs or parts of them; unmapped holes in the range are ignored.
    int munmap(long addr, long length);

    /// This process's CPU view of its own address space (loads and stores of user code).
    UserMemory memory();

    /// Process id, unique per kernel.
    int pid();

    /// Process exit.
    @Override
    void close();
}
