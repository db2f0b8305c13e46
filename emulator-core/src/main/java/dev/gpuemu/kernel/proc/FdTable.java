package dev.gpuemu.kernel.proc;

import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.vfs.KFile;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.StampedLock;

/// `struct files_struct`: a process's fd table. Each open slot owns one reference to its
/// [KFile]; the `O_CLOEXEC` bit is kept per fd (there is no exec, so it is only reported).
///
/// ## Invariants
/// - fds are `0 ..` [#MAX_FDS]` - 1`; a new fd is the lowest free one.
/// - A non-null slot holds exactly one reference; after [#closeAll] the table stays empty and
///   every install fails with `-ESRCH`.
///
/// ## Thread safety
/// Thread-safe. [#fget] takes the read side of a `StampedLock` (one CAS, no allocation while no
/// writer waits): a reader either sees the file before `close` removed it — and its `get()` then
/// happens while the table's reference is still held — or sees the empty slot. Writers (install,
/// remove) take the write side; `put()` of a removed file happens after the lock is released.
final class FdTable {
    /// `RLIMIT_NOFILE` of every emulated process.
    static final int MAX_FDS = 1024;

    private final StampedLock lock = new StampedLock();
    /// Guarded by `lock`.
    private final KFile[] files = new KFile[MAX_FDS];
    /// Guarded by `lock`: the `O_CLOEXEC` flag of each fd.
    private final boolean[] cloexec = new boolean[MAX_FDS];
    /// Guarded by `lock`.
    private boolean closed;

    /// `fget`: the file behind `fd` with a new reference, or null. Allocation-free.
    KFile fget(int fd) {
        if (fd < 0 || fd >= MAX_FDS) {
            return null;
        }
        long stamp = lock.readLock();
        try {
            KFile f = files[fd];
            // The table's reference keeps the count above zero while we hold the read lock.
            return f == null ? null : f.get();
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /// Installs `file` at the lowest free fd, taking over one reference the caller owns. On
    /// failure (`-EMFILE`, or `-ESRCH` after exit) the reference stays with the caller.
    int install(KFile file, int flags) {
        long stamp = lock.writeLock();
        try {
            if (closed) {
                return Errno.ESRCH.negative();
            }
            for (int fd = 0; fd < MAX_FDS; fd++) {
                if (files[fd] == null) {
                    files[fd] = file;
                    cloexec[fd] = (flags & Fcntl.O_CLOEXEC) != 0;
                    return fd;
                }
            }
            return Errno.EMFILE.negative();
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /// Empties slot `fd` and hands its reference to the caller; null when it was not open.
    KFile remove(int fd) {
        if (fd < 0 || fd >= MAX_FDS) {
            return null;
        }
        long stamp = lock.writeLock();
        try {
            KFile f = files[fd];
            files[fd] = null;
            cloexec[fd] = false;
            return f;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /// `O_CLOEXEC` if set on `fd`, 0 if not, `-EBADF` when `fd` is not open.
    int flags(int fd) {
        if (fd < 0 || fd >= MAX_FDS) {
            return Errno.EBADF.negative();
        }
        long stamp = lock.readLock();
        try {
            if (files[fd] == null) {
                return Errno.EBADF.negative();
            }
            return cloexec[fd] ? Fcntl.O_CLOEXEC : 0;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /// Number of open fds.
    int count() {
        long stamp = lock.readLock();
        try {
            int n = 0;
            for (KFile f : files) {
                if (f != null) {
                    n++;
                }
            }
            return n;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /// Process exit: empties the table for good and returns the files in fd order, each with the
    /// table's reference, for the caller to `put()`.
    List<KFile> closeAll() {
        long stamp = lock.writeLock();
        try {
            closed = true;
            List<KFile> out = new ArrayList<>();
            for (int fd = 0; fd < MAX_FDS; fd++) {
                if (files[fd] != null) {
                    out.add(files[fd]);
                    files[fd] = null;
                    cloexec[fd] = false;
                }
            }
            return out;
        } finally {
            lock.unlockWrite(stamp);
        }
    }
}
