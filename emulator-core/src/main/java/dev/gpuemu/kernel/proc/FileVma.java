package dev.gpuemu.kernel.proc;

import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.uapi.UserFault;
import dev.gpuemu.kernel.vfs.FileMapping;
import dev.gpuemu.kernel.vfs.KFile;
import dev.gpuemu.kernel.vfs.Task;
import dev.gpuemu.kernel.vfs.VmaOps;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/// A file mapping: a page table with one entry per page, filled lazily by [VmaOps#fault] and
/// emptied by [#zap] (the driver's `unmap_mapping_range`).
///
/// ## Invariants
/// - While live the VMA holds one reference to its file and is registered with the file's
///   [FileMapping] (when it has one); [#teardown] drops both and calls `VmaOps.close` once.
/// - An entry is installed only if no zap of this VMA ran between the start of the fault and the
///   install (`zapSeq` check under `ptLock`): a fault cannot resurrect a page a zap removed.
///
/// ## Thread safety
/// Entries: loaded with acquire inside read sections, stored with release under `ptLock`.
/// [#zap] clears entries under `ptLock`, then waits for a grace period of the owning
/// [Mm]'s SRCU domain: when it returns, no access that uses an entry from before is still
/// running, and every later access sees the cleared entry and faults again.
/// `setOps`/`setPrivateData` are allowed only during the driver's `FileOps.mmap`.
final class FileVma extends MmVma implements FileMapping.Mapped {
    private static final VarHandle PTE = MethodHandles.arrayElementVarHandle(MemorySegment[].class);
    private static final VarHandle ZAP_SEQ;

    static {
        try {
            ZAP_SEQ = MethodHandles.lookup().findVarHandle(FileVma.class, "zapSeq", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final KFile file;
    private final MemorySegment[] pte;
    private final Object ptLock = new Object();
    private VmaOps ops;
    private Object privateData;
    /// True only while the driver's `mmap` runs on this VMA.
    private boolean configurable;
    /// Zaps so far; written under `ptLock` (release), read by faults (acquire).
    @SuppressWarnings("unused") // accessed through ZAP_SEQ
    private long zapSeq;
    /// Guarded by the `mmap_lock` write side.
    private boolean dead;

    FileVma(Mm mm, long start, long end, long pgoff, int prot, int flags, KFile file) {
        super(mm, start, end, pgoff, prot, flags);
        this.file = file;
        this.pte = new MemorySegment[Math.toIntExact((end - start) >>> Fcntl.PAGE_SHIFT)];
    }

    /// Runs the driver's `mmap` on this fresh VMA; returns its result.
    int callDriverMmap(Task task) {
        configurable = true;
        try {
            return file.ops().mmap(file, task, this);
        } finally {
            configurable = false;
        }
    }

    VmaOps ops() {
        return ops;
    }

    @Override
    MemorySegment segment(long va) {
        // ORDERING: acquire pairs with the release install in faultIn: the page's contents as
        // the driver prepared them are visible.
        return (MemorySegment) PTE.getAcquire(pte, (int) ((va - start) >>> Fcntl.PAGE_SHIFT));
    }

    @Override
    long offset(long va) {
        return va & PAGE_MASK;
    }

    @Override
    long chunk(long va) {
        return Fcntl.PAGE_SIZE - (va & PAGE_MASK);
    }

    @Override
    void faultIn(long va) {
        int index = (int) ((va - start) >>> Fcntl.PAGE_SHIFT);
        while (true) {
            // ORDERING: acquire; a zap after this load bumps the counter before we compare it.
            long seq = (long) ZAP_SEQ.getAcquire(this);
            if (PTE.getAcquire(pte, index) != null) {
                return;
            }
            // A driver that set no operations has no fault handler: every access is SIGBUS.
            MemorySegment page = ops == null ? null : ops.fault(this, index);
            if (page == null) {
                throw new UserFault(UserFault.Signal.SIGBUS, va, "no page at offset 0x"
                        + Long.toHexString((pgoff + index) << Fcntl.PAGE_SHIFT) + " of " + file.name());
            }
            if (page.byteSize() < Fcntl.PAGE_SIZE) {
                throw new IllegalStateException("fault handler of " + file.name() + " returned " + page.byteSize()
                        + " bytes, not a page");
            }
            synchronized (ptLock) {
                if ((long) ZAP_SEQ.getAcquire(this) == seq && !dead) {
                    PTE.setRelease(pte, index, page);
                    return;
                }
            }
            // A zap ran while the handler looked the page up: ask again.
        }
    }

    @Override
    public FileMapping.AccessDomain clear(long zapPgoff, long zapPages) {
        if (zapPages <= 0) {
            return null;
        }
        long zapEnd = zapPgoff + zapPages;
        if (zapEnd < zapPgoff) {
            zapEnd = Long.MAX_VALUE;
        }
        long from = Math.max(zapPgoff, pgoff);
        long to = Math.min(zapEnd, pgoff + pte.length);
        if (from >= to) {
            return null;
        }
        boolean cleared = false;
        synchronized (ptLock) {
            ZAP_SEQ.setRelease(this, (long) ZAP_SEQ.getAcquire(this) + 1);
            for (long p = from; p < to; p++) {
                int i = (int) (p - pgoff);
                if (pte[i] != null) {
                    PTE.setRelease(pte, i, null);
                    cleared = true;
                }
            }
        }
        // Every access that may still use a cleared entry is inside a read section of the mm:
        // the caller waits for them (once per mm, however many of its VMAs it zapped).
        return cleared ? mm : null;
    }

    /// Number of present page table entries, for tests and diagnostics.
    int presentPages() {
        int n = 0;
        for (int i = 0; i < pte.length; i++) {
            if (PTE.getAcquire(pte, i) != null) {
                n++;
            }
        }
        return n;
    }

    @Override
    MmVma split(long newStart, long newEnd) {
        FileVma piece = new FileVma(mm, newStart, newEnd, pgoff + ((newStart - start) >>> Fcntl.PAGE_SHIFT), prot,
                flags, file);
        piece.ops = ops;
        piece.privateData = privateData;
        return piece;
    }

    @Override
    void openPiece() {
        link();
        if (ops != null) {
            ops.open(this);
        }
    }

    /// Takes the VMA's file reference and joins the file's mapping.
    void link() {
        file.get();
        FileMapping mapping = file.mapping();
        if (mapping != null) {
            mapping.add(this);
        }
    }

    @Override
    void teardown() {
        synchronized (ptLock) {
            dead = true;
            Arrays.fill(pte, null);
        }
        FileMapping mapping = file.mapping();
        if (mapping != null) {
            mapping.remove(this);
        }
        try {
            if (ops != null) {
                ops.close(this);
            }
        } finally {
            file.put();
        }
    }

    @Override
    public KFile file() {
        return file;
    }

    @Override
    public void setOps(VmaOps ops) {
        if (!configurable) {
            throw new IllegalStateException("VMA operations can only be set during mmap");
        }
        this.ops = ops;
    }

    @Override
    public Object privateData() {
        return privateData;
    }

    @Override
    public void setPrivateData(Object data) {
        if (!configurable) {
            throw new IllegalStateException("VMA private data can only be set during mmap");
        }
        this.privateData = data;
    }
}
