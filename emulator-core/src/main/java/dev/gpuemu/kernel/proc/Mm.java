package dev.gpuemu.kernel.proc;

import dev.gpuemu.kernel.sync.Srcu;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.uapi.UserFault;
import dev.gpuemu.kernel.vfs.KFile;
import dev.gpuemu.kernel.vfs.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/// `struct mm_struct`: a process's address space — address-sorted VMAs (anonymous memory and
/// file mappings) in the user range [`USER_BASE`, `USER_TOP`), placed top-down.
///
/// ## Concurrency design
/// - *Translation* (every user access and kernel copy) reads the current [VmaSet] (a volatile
///   copy-on-write snapshot) and the VMA's page table inside a read section of this mm's own
///   SRCU domain: no lock, no atomic read-modify-write, no allocation.
/// - *`mmap_lock`*: `mmap`, `munmap` and exit hold the write side; a page fault holds the read
///   side while it calls the driver's fault handler, outside any read section (a handler may take
///   driver locks that a zapper holds while it waits for a grace period).
/// - *Removal* publishes the new set, waits for a grace period, and only then tears the old VMAs
///   down (`VmaOps.close`, file put, arena close): no access still running can touch them.
/// - *Zap* (see [FileVma#zap]) clears entries and waits for a grace period in the same way.
///
/// Lock order: `mmap_lock` → driver locks taken by `FileOps.mmap`, `VmaOps.fault/open/close`.
/// A kernel copy that faults takes the read side, so drivers must not copy from or to user
/// memory while holding a lock their `VmaOps.close` takes (as in Linux).
///
/// ## Thread safety
/// Thread-safe.
///
/// ## Lifecycle
/// created with its process → [#exit] once (every VMA unmapped; later `mmap` gives `-ESRCH`).
public final class Mm implements dev.gpuemu.kernel.vfs.FileMapping.AccessDomain {
    /// Lowest mappable address (`mmap_min_addr`).
    public static final long USER_BASE = 0x1_0000L;
    /// End of the mmap area; mappings are placed top-down below it.
    public static final long USER_TOP = 0x7f00_0000_0000L;

    private static final int PROT_EXEC = 4;
    private static final long PAGE_MASK = Fcntl.PAGE_SIZE - 1;

    private final Srcu srcu;
    private final ReentrantReadWriteLock mmapLock = new ReentrantReadWriteLock();
    /// ORDERING: volatile publication of an immutable snapshot; written under the write lock.
    private volatile VmaSet vmas = VmaSet.EMPTY;
    /// Guarded by the `mmap_lock` write side.
    private boolean dead;

    Mm(String name) {
        this.srcu = new Srcu("mm:" + name);
    }

    /// `do_mmap`: anonymous memory when `file` is null, else a mapping of `file` (borrowed: the
    /// VMA takes its own reference on success). `offset` is already checked page aligned.
    long mmap(Task task, long length, int prot, int flags, long addr, KFile file, long offset) {
        if (length == 0) {
            return Errno.EINVAL.negative();
        }
        long len = (length + PAGE_MASK) & ~PAGE_MASK;
        if (length < 0 || len <= 0 || len > USER_TOP - USER_BASE) {
            return Errno.ENOMEM.negative();
        }
        int type = flags & (Fcntl.MAP_SHARED | Fcntl.MAP_PRIVATE);
        if (type != Fcntl.MAP_SHARED && type != Fcntl.MAP_PRIVATE) {
            return Errno.EINVAL.negative();
        }
        if ((prot & ~(Fcntl.PROT_READ | Fcntl.PROT_WRITE | PROT_EXEC)) != 0) {
            return Errno.EINVAL.negative();
        }
        long pgoff = offset >>> Fcntl.PAGE_SHIFT;
        if (file != null) {
            int acc = file.flags() & Fcntl.O_ACCMODE;
            boolean write = (prot & Fcntl.PROT_WRITE) != 0;
            if (acc == Fcntl.O_WRONLY || (type == Fcntl.MAP_SHARED && write && acc != Fcntl.O_RDWR)) {
                return Errno.EACCES.negative();
            }
            if (type == Fcntl.MAP_PRIVATE && write) {
                // Copy-on-write file mappings are not modelled (the GEM shmem helper rejects them too).
                return Errno.EINVAL.negative();
            }
            if (pgoff + (len >>> Fcntl.PAGE_SHIFT) < pgoff || len >>> Fcntl.PAGE_SHIFT > Integer.MAX_VALUE) {
                return Errno.EOVERFLOW.negative();
            }
        }
        boolean fixed = (flags & Fcntl.MAP_FIXED) != 0;
        if (fixed && ((addr & PAGE_MASK) != 0 || addr < USER_BASE || addr > USER_TOP - len)) {
            return Errno.EINVAL.negative();
        }
        mmapLock.writeLock().lock();
        try {
            if (dead) {
                return Errno.ESRCH.negative();
            }
            long start;
            if (fixed) {
                unmapLocked(addr, addr + len);
                start = addr;
            } else {
                start = vmas.findFreeTopDown(len, USER_BASE, USER_TOP);
                if (start < 0) {
                    return Errno.ENOMEM.negative();
                }
            }
            MmVma vma;
            if (file == null) {
                AnonVma.Backing backing;
                try {
                    backing = new AnonVma.Backing(len);
                } catch (OutOfMemoryError e) {
                    return Errno.ENOMEM.negative();
                }
                vma = new AnonVma(this, start, start + len, prot, flags, backing, 0);
            } else {
                FileVma fv = new FileVma(this, start, start + len, pgoff, prot, flags, file);
                int rc = fv.callDriverMmap(task);
                if (rc < 0) {
                    return rc; // discarded without VmaOps.close
                }
                fv.link();
                vma = fv;
            }
            vmas = vmas.replace(List.of(), List.of(vma));
            return start;
        } finally {
            mmapLock.writeLock().unlock();
        }
    }

    /// `munmap`: whole VMAs or parts of them; holes are ignored.
    int munmap(long addr, long length) {
        if ((addr & PAGE_MASK) != 0 || length <= 0) {
            return Errno.EINVAL.negative();
        }
        long len = (length + PAGE_MASK) & ~PAGE_MASK;
        if (len <= 0 || addr < 0 || addr > Long.MAX_VALUE - len) {
            return Errno.EINVAL.negative();
        }
        mmapLock.writeLock().lock();
        try {
            if (dead) {
                return Errno.ESRCH.negative();
            }
            unmapLocked(addr, addr + len);
            return 0;
        } finally {
            mmapLock.writeLock().unlock();
        }
    }

    /// Process exit: unmaps everything; later `mmap`/`munmap` give `-ESRCH`.
    void exit() {
        mmapLock.writeLock().lock();
        try {
            if (dead) {
                throw new IllegalStateException("mm already torn down");
            }
            dead = true;
            unmapLocked(Long.MIN_VALUE, Long.MAX_VALUE);
        } finally {
            mmapLock.writeLock().unlock();
        }
    }

    /// Removes `[from, to)`: pieces outside the range become new VMAs (opened before the old ones
    /// close, as Linux's split does), the new set is published, a grace period passes, then the
    /// old VMAs are torn down.
    private void unmapLocked(long from, long to) {
        List<MmVma> old = vmas.overlapping(from, to);
        if (old.isEmpty()) {
            return;
        }
        List<MmVma> pieces = new ArrayList<>(2);
        for (MmVma v : old) {
            if (v.start < from) {
                pieces.add(v.split(v.start, from));
            }
            if (v.end > to) {
                pieces.add(v.split(to, v.end));
            }
        }
        for (MmVma p : pieces) {
            p.openPiece();
        }
        vmas = vmas.replace(old, pieces);
        synchronizeAccesses();
        RuntimeException failure = null;
        for (MmVma v : old) {
            try {
                v.teardown();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /// Page fault: resolves the missing entry for `va`, or throws `UserFault`.
    void faultIn(long va, int need) {
        mmapLock.readLock().lock();
        try {
            MmVma v = vmas.find(va);
            if (v == null) {
                throw segv(va, "no mapping");
            }
            if ((v.prot & need) != need) {
                throw segv(va, "protection");
            }
            v.faultIn(va);
        } finally {
            mmapLock.readLock().unlock();
        }
    }

    static UserFault segv(long va, String reason) {
        return new UserFault(UserFault.Signal.SIGSEGV, va, reason);
    }

    /// The VMA containing `va` in the current snapshot; call inside a read section.
    MmVma find(long va) {
        return vmas.find(va);
    }

    Srcu srcu() {
        return srcu;
    }

    /// Waits until no access that may use a removed VMA or a cleared entry is still running.
    @Override
    public void synchronizeAccesses() {
        srcu.synchronize();
    }

    /// Number of VMAs.
    public int vmaCount() {
        return vmas.size();
    }

    /// `/proc/<pid>/maps`: one line per VMA, in address order.
    public List<String> maps() {
        return vmas.all().stream().map(MmVma::toString).toList();
    }
}
