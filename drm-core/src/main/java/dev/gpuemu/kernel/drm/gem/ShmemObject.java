package dev.gpuemu.kernel.drm.gem;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.vfs.Vma;
import dev.gpuemu.machine.mem.PageRun;
import dev.gpuemu.machine.mem.SystemMemory;
import dev.gpuemu.machine.pages.PageEngine;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/// `drm_gem_shmem_object`: a GEM object backed by pool pages allocated on first use.
///
/// Page uses (`pagesUseCount`) come from pins, the cached scatter list ([#getPagesSgt()], one
/// use while cached) and mmaps (one per VMA). The 0→1 use allocates every page of the object
/// (zeroed with the page engine); 1→0 returns them to the pool. The *content* outlives the
/// pages, as it does in the shmem file behind a Linux object: 1→0 keeps a host-side copy of
/// every non-zero page (pages swapped out) and the next 0→1 restores it, so data written through
/// one mmap is there for the next mmap, pin or vmap. A purge or the object's free drops it. Pins (`pagesPinCount`) and kernel
/// mappings (`vmapUseCount`, [ShmemVmap]) nest: the first vmap pins, the first pin takes a use.
///
/// `madv` is the userspace purge hint (0 = WILLNEED, > 0 = DONTNEED); a purge sets it to -1 for
/// good: the pages are gone, faults SIGBUS and new page uses fail with ENOMEM.
///
/// ## Invariants
/// Pages exist exactly while `pagesUseCount > 0`; `pagesPinCount > 0` implies a use;
/// `vmapUseCount > 0` implies a pin; a cached sgt implies a use; `madv == -1` is final;
/// swapped-out content exists only while there are no pages and the object is not purged.
///
/// ## Thread safety
/// All state is guarded by [#resv()]; every public method takes it (reentrant).
///
/// ## Lifecycle
/// created without pages → pages come and go with uses → optionally purged → freed at the last
/// reference (leaked pins/vmaps/uses are WARNed and their pages returned anyway).
public class ShmemObject extends GemObject {
    // Guarded by resv().
    private int pagesUseCount;
    private int pagesPinCount;
    private int vmapUseCount;
    private int madv;
    private List<PageRun> runs;
    private MemorySegment[] pageSegments;
    private List<PageRun> sgt;
    private ShmemVmap vmap;
    /// The content while the object holds no pages: one copy per non-zero page, null for a zero
    /// page; null when there is nothing to restore.
    private byte[][] swapped;
    /// Set by [#free()]: pages released from then on have no content to keep.
    private boolean dying;

    /// `drm_gem_shmem_create`.
    ///
    /// @throws KernelException EINVAL if `size` is not a positive page multiple
    public ShmemObject(GemDevice dev, long size, GemObjectFuncs funcs) throws KernelException {
        super(dev, size, funcs);
    }

    public ShmemObject(GemDevice dev, long size) throws KernelException {
        this(dev, size, GemObjectFuncs.NONE);
    }

    /// `drm_gem_shmem_get_pages`: takes a pages use, allocating and zeroing the pages on 0→1.
    ///
    /// @throws KernelException ENOMEM when purged or when the pool is short of pages
    public final void getPages() throws KernelException {
        resv().lock();
        try {
            getPagesLocked();
        } finally {
            resv().unlock();
        }
    }

    private void getPagesLocked() throws KernelException {
        if (madv < 0) {
            throw new KernelException(Errno.ENOMEM, "object purged");
        }
        if (pagesUseCount > 0) {
            pagesUseCount++;
            return;
        }
        if (pages() > Integer.MAX_VALUE) {
            throw new KernelException(Errno.ENOMEM, "object too large for the pool");
        }
        SystemMemory mem = dev.memory();
        List<PageRun> got = mem.allocPages((int) pages(), "gem:" + dev.name());
        if (got.isEmpty()) {
            throw new KernelException(Errno.ENOMEM, "out of pages for " + size() + " bytes");
        }
        PageEngine.zero(dev.pageOps(), mem, got);
        MemorySegment[] segs = new MemorySegment[(int) pages()];
        int i = 0;
        for (PageRun run : got) {
            for (int p = 0; p < run.pages(); p++) {
                segs[i++] = mem.direct(run.physAddr() + ((long) p << VmaOffsetManager.PAGE_SHIFT),
                        SystemMemory.PAGE_SIZE);
            }
        }
        if (swapped != null) {
            // Swap-in: the shmem file's content comes back into the new pages.
            for (int p = 0; p < segs.length; p++) {
                if (swapped[p] != null) {
                    MemorySegment.copy(MemorySegment.ofArray(swapped[p]), 0, segs[p], 0, SystemMemory.PAGE_SIZE);
                }
            }
            swapped = null;
        }
        runs = got;
        pageSegments = segs;
        pagesUseCount = 1;
        dev.pagesAcquired(pages());
    }

    /// `drm_gem_shmem_put_pages`: drops a pages use; 1→0 returns the pages to the pool.
    ///
    /// @throws dev.gpuemu.kernel.KernelOops on a put without a use
    public final void putPages() {
        resv().lock();
        try {
            putPagesLocked();
        } finally {
            resv().unlock();
        }
    }

    private void putPagesLocked() {
        if (pagesUseCount == 0) {
            throw dev.bug("shmem put_pages without a use on " + this);
        }
        if (--pagesUseCount == 0) {
            releasePagesLocked();
        }
    }

    private void releasePagesLocked() {
        if (!dying && madv >= 0) {
            swapOutLocked();
        }
        for (PageRun run : runs) {
            dev.memory().free(run);
        }
        runs = null;
        pageSegments = null;
        dev.pagesReleased(pages());
    }

    /// Keeps the content of every non-zero page before the pages go back to the pool.
    private void swapOutLocked() {
        byte[][] copy = null;
        for (int p = 0; p < pageSegments.length; p++) {
            if (!dev.pageOps().isZero(pageSegments[p])) {
                if (copy == null) {
                    copy = new byte[pageSegments.length][];
                }
                copy[p] = pageSegments[p].toArray(ValueLayout.JAVA_BYTE);
            }
        }
        swapped = copy;
    }

    /// `drm_gem_shmem_pin`: the first pin takes a pages use.
    ///
    /// @throws KernelException ENOMEM as [#getPages()]
    public final void pin() throws KernelException {
        resv().lock();
        try {
            pinLocked();
        } finally {
            resv().unlock();
        }
    }

    private void pinLocked() throws KernelException {
        if (isImported()) {
            dev.warn("pin of imported object " + this);
        }
        if (pagesPinCount == 0) {
            getPagesLocked();
        }
        pagesPinCount++;
    }

    /// `drm_gem_shmem_unpin`: the last unpin drops the pin's pages use.
    public final void unpin() {
        resv().lock();
        try {
            unpinLocked();
        } finally {
            resv().unlock();
        }
    }

    private void unpinLocked() {
        if (pagesPinCount == 0) {
            throw dev.bug("shmem unpin without a pin on " + this);
        }
        if (--pagesPinCount == 0) {
            putPagesLocked();
        }
    }

    /// `drm_gem_shmem_vmap`: a kernel mapping of the whole object; the first vmap pins, later
    /// ones share the same mapping.
    ///
    /// @throws KernelException ENOMEM as [#getPages()]
    public final ShmemVmap vmap() throws KernelException {
        resv().lock();
        try {
            if (vmapUseCount > 0) {
                vmapUseCount++;
                return vmap;
            }
            pinLocked();
            vmap = new ShmemVmap(pageSegments, size());
            vmapUseCount = 1;
            return vmap;
        } finally {
            resv().unlock();
        }
    }

    /// `drm_gem_shmem_vunmap`: the last vunmap invalidates the mapping and unpins.
    public final void vunmap() {
        resv().lock();
        try {
            if (vmapUseCount == 0) {
                throw dev.bug("shmem vunmap without a vmap on " + this);
            }
            if (--vmapUseCount == 0) {
                vmap.invalidate();
                vmap = null;
                unpinLocked();
            }
        } finally {
            resv().unlock();
        }
    }

    /// `drm_gem_shmem_get_pages_sgt`: the object's pages as runs of contiguous pages, in object
    /// order (what DMA and GPU page tables use). Cached; the first call takes a pages use, which
    /// the cache keeps until purge or free.
    ///
    /// @throws KernelException ENOMEM as [#getPages()]
    public final List<PageRun> getPagesSgt() throws KernelException {
        resv().lock();
        try {
            if (sgt == null) {
                getPagesLocked();
                sgt = List.copyOf(runs); // allocPages already coalesces adjacent pages
            }
            return sgt;
        } finally {
            resv().unlock();
        }
    }

    /// `drm_gem_shmem_madvise`: sets the purge hint unless the object is already purged.
    ///
    /// @return whether the object still has backing store (`madv >= 0` afterwards)
    public final boolean madvise(int newMadv) {
        resv().lock();
        try {
            if (madv >= 0) {
                madv = newMadv;
            }
            return madv >= 0;
        } finally {
            resv().unlock();
        }
    }

    /// `drm_gem_shmem_is_purgeable`: DONTNEED, not pinned, pages held by the sgt, not imported.
    public final boolean isPurgeable() {
        resv().lock();
        try {
            return madv > 0 && pagesPinCount == 0 && sgt != null && !isImported();
        } finally {
            resv().unlock();
        }
    }

    /// `drm_gem_shmem_purge`: drops the sgt and its pages use, marks the object purged
    /// (`madv = -1`), zaps CPU mappings (with [#resv()] held, as the kernel does) and removes the
    /// mmap offset. Pages still used by live VMAs return to the pool when those VMAs close; until
    /// then their faults SIGBUS.
    ///
    /// @return false (after a WARN) if the object is not purgeable; nothing changes then
    public final boolean purge() {
        resv().lock();
        try {
            if (!isPurgeable()) {
                dev.warn("purge of a non-purgeable object " + this);
                return false;
            }
            sgt = null;
            madv = -1; // first: the content is truncated, not swapped out
            swapped = null;
            putPagesLocked();
            zapMappings();
            freeMmapOffset();
            return true;
        } finally {
            resv().unlock();
        }
    }

    /// `drm_gem_shmem_free`: drops the sgt's use, WARNs about leaked vmaps, pins and uses, and
    /// returns any pages left to the pool. Subclasses call `super.free()` last.
    @Override
    protected void free() {
        resv().lock();
        try {
            dying = true;
            swapped = null;
            if (sgt != null) {
                sgt = null;
                putPagesLocked();
            }
            if (vmapUseCount != 0) {
                dev.warn("freeing object with vmap_use_count " + vmapUseCount + ": " + this);
                vmap.invalidate();
                vmap = null;
            }
            if (pagesPinCount != 0) {
                dev.warn("freeing object with pages_pin_count " + pagesPinCount + ": " + this);
            }
            if (pagesUseCount != 0) {
                dev.warn("freeing object with pages_use_count " + pagesUseCount + ": " + this);
                releasePagesLocked();
            }
            vmapUseCount = 0;
            pagesPinCount = 0;
            pagesUseCount = 0;
        } finally {
            resv().unlock();
        }
    }

    @Override
    protected int mmap(Vma vma) {
        if (vma.isCow()) {
            return Errno.EINVAL.negative();
        }
        resv().lock();
        try {
            getPagesLocked();
            return 0;
        } catch (KernelException e) {
            return e.errno().negative();
        } finally {
            resv().unlock();
        }
    }

    /// `drm_gem_shmem_fault`: the page, or null (SIGBUS) beyond the end, without pages, or purged.
    @Override
    protected MemorySegment fault(long pageIndex) {
        resv().lock();
        try {
            if (pageIndex < 0 || pageIndex >= pages() || pageSegments == null || madv < 0) {
                return null;
            }
            return pageSegments[(int) pageIndex];
        } finally {
            resv().unlock();
        }
    }

    @Override
    protected void vmOpen() {
        resv().lock();
        try {
            if (pagesUseCount == 0) {
                throw dev.bug("shmem vm_open without pages on " + this);
            }
            pagesUseCount++;
        } finally {
            resv().unlock();
        }
    }

    @Override
    protected void vmClose() {
        putPages();
    }

    public final int pagesUseCount() {
        resv().lock();
        try {
            return pagesUseCount;
        } finally {
            resv().unlock();
        }
    }

    public final int pagesPinCount() {
        resv().lock();
        try {
            return pagesPinCount;
        } finally {
            resv().unlock();
        }
    }

    public final int vmapUseCount() {
        resv().lock();
        try {
            return vmapUseCount;
        } finally {
            resv().unlock();
        }
    }

    /// The purge hint: 0 WILLNEED, > 0 DONTNEED, -1 purged.
    public final int madv() {
        resv().lock();
        try {
            return madv;
        } finally {
            resv().unlock();
        }
    }

    /// Whether the object currently holds pages.
    public final boolean hasPages() {
        resv().lock();
        try {
            return pageSegments != null;
        } finally {
            resv().unlock();
        }
    }
}
