package dev.gpuemu.kernel.proc;

import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.vfs.Vma;
import java.lang.foreign.MemorySegment;

/// A VMA of the memory manager: the geometry shared by anonymous and file mappings plus the
/// translation the access path uses.
///
/// ## Invariants
/// `start < end`, both page aligned, inside the user range. The geometry never changes: a partial
/// `munmap` replaces a VMA by new pieces ([#split]) rather than resizing it, so a reader holding
/// an old VMA set sees consistent VMAs.
///
/// ## Thread safety
/// Geometry immutable. [#segment] / [#offset] / [#chunk] are called inside a read section of the
/// owning [Mm]'s SRCU domain; everything else under the `mmap_lock` write side.
abstract sealed class MmVma implements Vma permits AnonVma, FileVma {
    static final long PAGE_MASK = Fcntl.PAGE_SIZE - 1;

    final Mm mm;
    final long start;
    final long end;
    final long pgoff;
    final int prot;
    final int flags;

    MmVma(Mm mm, long start, long end, long pgoff, int prot, int flags) {
        this.mm = mm;
        this.start = start;
        this.end = end;
        this.pgoff = pgoff;
        this.prot = prot;
        this.flags = flags;
    }

    @Override
    public final long start() {
        return start;
    }

    @Override
    public final long end() {
        return end;
    }

    @Override
    public final long pgoff() {
        return pgoff;
    }

    @Override
    public final int prot() {
        return prot;
    }

    @Override
    public final int flags() {
        return flags;
    }

    /// The memory backing `va` (which lies inside this VMA), or null when its page table entry
    /// is missing and must be faulted in. Allocation-free.
    abstract MemorySegment segment(long va);

    /// Offset of `va` in [#segment].
    abstract long offset(long va);

    /// Bytes from `va` that are contiguous in [#segment] (up to the page end or the VMA end).
    abstract long chunk(long va);

    /// Resolves a missing entry for `va`; called under the `mmap_lock` read side, outside any
    /// read section. Throws `UserFault` `SIGBUS` when the mapping has no page.
    abstract void faultIn(long va);

    /// A new VMA for `[newStart, newEnd)`, a sub-range of this one, sharing its backing;
    /// not yet opened (see [#openPiece]).
    abstract MmVma split(long newStart, long newEnd);

    /// Makes a split piece live: takes its own references and calls `VmaOps.open`.
    abstract void openPiece();

    /// The VMA is gone (unmapped, after the grace period): drop its references, call
    /// `VmaOps.close`, free anonymous memory.
    abstract void teardown();

    @Override
    public String toString() {
        return String.format("%012x-%012x %s%s%s %08x %s", start, end,
                (prot & Fcntl.PROT_READ) != 0 ? "r" : "-", (prot & Fcntl.PROT_WRITE) != 0 ? "w" : "-",
                (flags & Fcntl.MAP_SHARED) != 0 ? "s" : "p", pgoff << Fcntl.PAGE_SHIFT,
                file() == null ? "[anon]" : file().name());
    }
}
