package dev.gpuemu.kernel.proc;

import dev.gpuemu.kernel.vfs.KFile;
import dev.gpuemu.kernel.vfs.VmaOps;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/// Anonymous memory (`MAP_ANONYMOUS`): zero-filled off-heap memory allocated at mmap time from a
/// shared [Arena] of its own. There is no page table: the whole range is present from the start.
///
/// ## Invariants
/// The pieces of a VMA split by a partial `munmap` share one [Backing]; its arena is closed when
/// the last piece is torn down (so an unmapped hole in the middle stays allocated until then).
///
/// ## Thread safety
/// Accessors are lock-free; the backing's piece count is guarded by the `mmap_lock` write side.
final class AnonVma extends MmVma {
    /// The memory of one anonymous mmap and the number of VMA pieces using it.
    static final class Backing {
        private final Arena arena;
        final MemorySegment memory;
        /// Guarded by the `mmap_lock` write side.
        private int pieces = 1;

        Backing(long bytes) {
            this.arena = Arena.ofShared();
            MemorySegment m;
            try {
                m = arena.allocate(bytes, 4096); // Arena memory is zero-initialised
            } catch (RuntimeException | OutOfMemoryError e) {
                arena.close();
                throw e;
            }
            this.memory = m;
        }

        void retain() {
            pieces++;
        }

        void release() {
            if (--pieces == 0) {
                arena.close();
            } else if (pieces < 0) {
                throw new IllegalStateException("anonymous backing released twice");
            }
        }
    }

    private final Backing backing;
    /// Offset of `start` in the backing.
    private final long base;

    AnonVma(Mm mm, long start, long end, int prot, int flags, Backing backing, long base) {
        super(mm, start, end, 0, prot, flags);
        this.backing = backing;
        this.base = base;
    }

    @Override
    MemorySegment segment(long va) {
        return backing.memory;
    }

    @Override
    long offset(long va) {
        return base + (va - start);
    }

    @Override
    long chunk(long va) {
        return end - va;
    }

    @Override
    void faultIn(long va) {
        // Always present: a reader never sees a null segment here.
    }

    @Override
    MmVma split(long newStart, long newEnd) {
        return new AnonVma(mm, newStart, newEnd, prot, flags, backing, base + (newStart - start));
    }

    @Override
    void openPiece() {
        backing.retain();
    }

    @Override
    void teardown() {
        backing.release();
    }

    @Override
    public KFile file() {
        return null;
    }

    @Override
    public void setOps(VmaOps ops) {
        throw new IllegalStateException("anonymous VMA has no operations");
    }

    @Override
    public Object privateData() {
        return null;
    }

    @Override
    public void setPrivateData(Object data) {
        throw new IllegalStateException("anonymous VMA has no private data");
    }
}
