package dev.gpuemu.kernel.proc;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.uapi.Syscalls;
import dev.gpuemu.kernel.uapi.UserMemory;
import dev.gpuemu.kernel.vfs.CharDev;
import dev.gpuemu.kernel.vfs.DevFs;
import dev.gpuemu.kernel.vfs.KFile;
import dev.gpuemu.kernel.vfs.Task;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/// An emulated userspace process: the syscall surface userspace calls ([Syscalls]) and the
/// kernel's `current` during those calls ([Task]). It owns an fd table ([FdTable]) and an
/// address space ([Mm]); `root` stands for `CAP_SYS_ADMIN`.
///
/// ## Invariants
/// - Every open fd holds one reference to its file; every file VMA holds one more.
/// - After exit the fd table and the address space are empty for good.
///
/// ## Thread safety
/// Thread-safe: several threads may issue syscalls and access memory at once. The `ioctl` path
/// (fd lookup, driver call, put) allocates nothing.
///
/// ## Lifecycle
/// spawned (`Kernel.spawn`) → [#close()] or [#kill()] once: the address space is torn down
/// first, then every fd is closed (as `do_exit` does, `exit_mm` before `exit_files`); a second
/// `close()` throws `IllegalStateException`; syscalls after exit return `-ESRCH`.
public final class Process implements Syscalls, Task {
    /// Simulated CPU time one syscall costs its thread (kernel entry, work, exit), charged to
    /// simulated-time participants only (`SimClock.chargeParticipant`): 250 ns, about a null
    /// syscall plus a small driver call on a 2 GHz core.
    public static final long SYSCALL_COST_NS = 250L;

    private final int pid;
    private final Runnable onSyscall;
    private final String name;
    private final boolean root;
    private final DevFs devFs;
    private final Consumer<Process> onExit;
    private final FdTable fds = new FdTable();
    private final Mm mm;
    private final UserAccess memory;
    private final AtomicBoolean exited = new AtomicBoolean();

    /// Used by `Kernel.spawn`; tests may build a process directly.
    ///
    /// @param onExit called once after the process exited (the kernel drops it from its list)
    public Process(int pid, String name, boolean root, DevFs devFs, Consumer<Process> onExit) {
        this(pid, name, root, devFs, onExit, () -> { });
    }

    /// As the other constructor; `onSyscall` runs at the entry of every syscall (the kernel
    /// charges its simulated cost there).
    public Process(int pid, String name, boolean root, DevFs devFs, Consumer<Process> onExit, Runnable onSyscall) {
        this.onSyscall = Objects.requireNonNull(onSyscall, "onSyscall");
        this.pid = pid;
        this.name = Objects.requireNonNull(name, "name");
        this.root = root;
        this.devFs = Objects.requireNonNull(devFs, "devFs");
        this.onExit = Objects.requireNonNull(onExit, "onExit");
        this.mm = new Mm(pid + ":" + name);
        this.memory = new UserAccess(mm);
    }

    @Override
    public int pid() {
        return pid;
    }

    public String name() {
        return name;
    }

    /// Whether the process has exited.
    public boolean exited() {
        return exited.get();
    }

    /// The address space (diagnostics: `maps()`, `vmaCount()`).
    public Mm mm() {
        return mm;
    }

    // ---- Syscalls ----------------------------------------------------------------------------

    @Override
    public int open(String path, int flags) {
        onSyscall.run();
        if (exited.get()) {
            return Errno.ESRCH.negative();
        }
        CharDev dev = devFs.lookup(path);
        if (dev == null) {
            return Errno.ENOENT.negative();
        }
        KFile file;
        try {
            file = dev.open(this, flags);
        } catch (KernelException e) {
            return e.errno().negative();
        }
        int fd = fds.install(file, flags);
        if (fd < 0) {
            file.put();
        }
        return fd;
    }

    @Override
    public int close(int fd) {
        onSyscall.run();
        if (exited.get()) {
            return Errno.ESRCH.negative();
        }
        KFile file = fds.remove(fd);
        if (file == null) {
            return Errno.EBADF.negative();
        }
        file.put();
        return 0;
    }

    @Override
    public int dup(int fd) {
        onSyscall.run();
        if (exited.get()) {
            return Errno.ESRCH.negative();
        }
        KFile file = fds.fget(fd);
        if (file == null) {
            return Errno.EBADF.negative();
        }
        int nfd = fds.install(file, 0); // dup clears O_CLOEXEC on the new fd
        if (nfd < 0) {
            file.put();
        }
        return nfd;
    }

    @Override
    public int ioctl(int fd, int cmd, long argp) {
        onSyscall.run();
        if (exited.get()) {
            return Errno.ESRCH.negative();
        }
        KFile file = fds.fget(fd);
        if (file == null) {
            return Errno.EBADF.negative();
        }
        try {
            return file.ops().ioctl(file, this, cmd, argp);
        } finally {
            file.put();
        }
    }

    @Override
    public long mmap(long addr, long length, int prot, int flags, int fd, long offset) {
        onSyscall.run();
        if (exited.get()) {
            return Errno.ESRCH.negative();
        }
        if ((offset & (Fcntl.PAGE_SIZE - 1)) != 0 || offset < 0) {
            return Errno.EINVAL.negative();
        }
        if ((flags & Fcntl.MAP_ANONYMOUS) != 0) {
            return mm.mmap(this, length, prot, flags, addr, null, offset);
        }
        KFile file = fds.fget(fd);
        if (file == null) {
            return Errno.EBADF.negative();
        }
        try {
            return mm.mmap(this, length, prot, flags, addr, file, offset);
        } finally {
            file.put();
        }
    }

    @Override
    public int munmap(long addr, long length) {
        onSyscall.run();
        if (exited.get()) {
            return Errno.ESRCH.negative();
        }
        return mm.munmap(addr, length);
    }

    @Override
    public UserMemory memory() {
        return memory;
    }

    /// `O_CLOEXEC` when set on `fd`, 0 when not, `-EBADF` when `fd` is not open.
    public int fdFlags(int fd) {
        return fds.flags(fd);
    }

    /// Number of open fds.
    public int openFds() {
        return fds.count();
    }

    /// Process exit.
    ///
    /// @throws IllegalStateException when the process already exited
    @Override
    public void close() {
        if (!kill()) {
            throw new IllegalStateException("process " + pid + " (" + name + ") already exited");
        }
    }

    /// Exits the process if it is still alive (`SIGKILL`); false when it had already exited.
    public boolean kill() {
        if (!exited.compareAndSet(false, true)) {
            return false;
        }
        try {
            mm.exit();
        } finally {
            List<KFile> files = fds.closeAll();
            try {
                for (KFile f : files) {
                    f.put();
                }
            } finally {
                onExit.accept(this);
            }
        }
        return true;
    }

    // ---- Task --------------------------------------------------------------------------------

    @Override
    public boolean capable(int cap) {
        return root; // a root process has every capability, a user process none
    }

    @Override
    public boolean copyFromUser(MemorySegment dst, long dstOffset, long va, long length) {
        return length == 0 || memory.copyFromUser(dst, dstOffset, va, length);
    }

    @Override
    public boolean copyToUser(long va, MemorySegment src, long srcOffset, long length) {
        return length == 0 || memory.copyToUser(va, src, srcOffset, length);
    }

    @Override
    public int installFd(KFile file, int flags) {
        file.get();
        int fd = fds.install(file, flags);
        if (fd < 0) {
            file.put();
        }
        return fd;
    }

    @Override
    public KFile fget(int fd) {
        return fds.fget(fd);
    }

    @Override
    public String toString() {
        return "process " + pid + " (" + name + (root ? ", root" : "") + (exited.get() ? ", exited" : "") + ")";
    }
}
