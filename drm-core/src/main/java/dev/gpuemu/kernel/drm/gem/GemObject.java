package dev.gpuemu.kernel.drm.gem;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.vfs.Vma;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/// `drm_gem_object`: a refcounted buffer object of a [GemDevice].
///
/// References come from the creator (the constructor's, which the creator usually drops after
/// making a handle), from handles (one "handle reference" while `handleCount() > 0`), from
/// every mmap'ed VMA, and from driver code. The last [#put()] runs [#free()] (the subclass's
/// teardown, `funcs->free`) and then the core release (the mmap offset goes away). Nothing frees
/// an object at unplug.
///
/// Subclasses provide memory management: [#mmap(Vma)], [#fault(long)], [#vmOpen()],
/// [#vmClose()] (defaults: no mmap support) and [#free()].
///
/// ## Invariants
/// `size()` is a positive multiple of the page size; the refcount never rises again after it
/// reached 0; `free()` runs exactly once; `handleCount() > 0` implies one reference is the handle
/// reference.
///
/// ## Thread safety
/// Reference counting is lock-free. [#resv()] (the `dma_resv` stand-in) is the object's lock for
/// backing-store state; handle counts are changed under the device's `object_name_lock`.
///
/// ## Lifecycle
/// constructed (refcount 1) → referenced, handled, mapped → last put: `free()`, offset removed,
/// counters updated → any further `get` is a kernel bug and throws.
public abstract class GemObject {
    protected final GemDevice dev;
    private final long size;
    private final GemObjectFuncs funcs;
    private final VmaOffsetNode vmaNode;
    private final ReentrantLock resv = new ReentrantLock();
    private final AtomicInteger refs = new AtomicInteger(1);
    // Written under dev.objectNameLock(); volatile for lock-free reads.
    private volatile int handleCount;

    /// `drm_gem_object_init`.
    ///
    /// @param funcs per-handle driver hooks, [GemObjectFuncs#NONE] for none
    /// @throws KernelException EINVAL if `size` is not a positive multiple of the page size
    @SuppressWarnings("this-escape") // the node only stores the reference; nothing is called on it
    protected GemObject(GemDevice dev, long size, GemObjectFuncs funcs) throws KernelException {
        this.dev = Objects.requireNonNull(dev, "dev");
        this.funcs = Objects.requireNonNull(funcs, "funcs");
        if (size <= 0 || (size & ((1L << VmaOffsetManager.PAGE_SHIFT) - 1)) != 0) {
            throw new KernelException(Errno.EINVAL, "GEM object size not a positive page multiple: " + size);
        }
        this.size = size;
        this.vmaNode = new VmaOffsetNode(this);
        dev.objectCreated(size);
    }

    public final GemDevice device() {
        return dev;
    }

    /// Size in bytes.
    public final long size() {
        return size;
    }

    /// Size in pages.
    public final long pages() {
        return size >>> VmaOffsetManager.PAGE_SHIFT;
    }

    public final GemObjectFuncs funcs() {
        return funcs;
    }

    /// The reservation lock (`obj->resv`) guarding the backing store.
    public final ReentrantLock resv() {
        return resv;
    }

    /// The object's offset node (place in the fake-offset space and mmap grants).
    public final VmaOffsetNode vmaNode() {
        return vmaNode;
    }

    /// `drm_gem_object_get`: a new reference.
    ///
    /// @throws dev.gpuemu.kernel.KernelOops if the object was already freed (a kernel bug)
    public final GemObject get() {
        if (!tryGet()) {
            throw dev.bug("get of freed GEM object " + this);
        }
        return this;
    }

    /// `kref_get_unless_zero`: takes a reference unless the object is already dying.
    public final boolean tryGet() {
        int r = refs.get();
        while (r > 0) {
            int seen = refs.compareAndExchange(r, r + 1);
            if (seen == r) {
                return true;
            }
            r = seen;
        }
        return false;
    }

    /// `drm_gem_object_put`: drops a reference; the last one frees the object.
    ///
    /// @throws dev.gpuemu.kernel.KernelOops on a put without a reference (a kernel bug)
    public final void put() {
        int r = refs.decrementAndGet();
        if (r == 0) {
            destroy();
        } else if (r < 0) {
            throw dev.bug("put of freed GEM object " + this);
        }
    }

    private void destroy() {
        try {
            free();
        } finally {
            // drm_gem_object_release: the node goes after free, so a concurrent mmap lookup
            // sees either a dying object (tryGet fails) or nothing.
            dev.offsets().remove(vmaNode);
            dev.objectFreed(size);
        }
    }

    /// Teardown of the subclass's backing store (`funcs->free` before `drm_gem_object_release`);
    /// runs exactly once, at the last put, with no reference left. The core then removes the
    /// mmap offset. Subclasses of subclasses call `super.free()`.
    protected abstract void free();

    /// Current reference count (for tests and reports).
    public final int refCount() {
        return refs.get();
    }

    /// Number of handles naming this object, over all files.
    public final int handleCount() {
        return handleCount;
    }

    /// `handle_count++` under `object_name_lock`; the first handle takes the handle reference.
    final void handleGetLocked() {
        if (handleCount == 0) {
            get();
        }
        handleCount++;
    }

    /// `drm_gem_object_handle_put_unlocked`: the last handle drops the handle reference.
    final void handlePut() {
        boolean last;
        dev.objectNameLock().lock();
        try {
            if (handleCount == 0) {
                throw dev.bug("handle count underflow on " + this);
            }
            last = --handleCount == 0;
        } finally {
            dev.objectNameLock().unlock();
        }
        if (last) {
            put();
        }
    }

    /// Whether the object was imported from another device's dma-buf (none yet).
    protected boolean isImported() {
        return false;
    }

    /// `drm_gem_create_mmap_offset`: gives the object a place in the fake-offset space (once;
    /// later calls return the same offset) and returns the byte offset for mmap.
    ///
    /// @throws KernelException EINVAL for imported objects, ENOSPC when the space is full
    public final long createMmapOffset() throws KernelException {
        if (isImported()) {
            throw new KernelException(Errno.EINVAL, "imported object has no mmap offset");
        }
        if (refs.get() <= 0) {
            throw dev.bug("mmap offset for freed GEM object " + this);
        }
        resv.lock();
        try {
            dev.offsets().add(vmaNode, pages());
            return vmaNode.offsetAddr();
        } finally {
            resv.unlock();
        }
    }

    /// The byte offset for mmap, or 0 when the object has none.
    public final long mmapOffset() {
        return vmaNode.offsetAddr();
    }

    /// `drm_gem_free_mmap_offset`: removes the object's place (mappings stay until zapped).
    protected final void freeMmapOffset() {
        dev.offsets().remove(vmaNode);
    }

    /// `drm_vma_node_unmap`: zaps every CPU mapping of the object through the device's file
    /// mapping, so the next access faults again. Callers usually hold [#resv()].
    public final void zapMappings() {
        long start = vmaNode.start();
        long pages = vmaNode.pages();
        if (start != 0) {
            dev.mapping().zapRange(start, pages);
        }
    }

    /// The object-specific part of `drm_gem_mmap_obj` (`funcs->mmap`): checks and accounts a new
    /// mapping (GEM core checks are done; the caller holds a reference for the VMA). Returns 0 or
    /// a negative errno. Default: no mmap support, `-EINVAL`.
    protected int mmap(Vma vma) {
        return Errno.EINVAL.negative();
    }

    /// Resolves object page `pageIndex` for a CPU fault: the 4 KiB page, or null for SIGBUS.
    /// Default: always SIGBUS.
    protected MemorySegment fault(long pageIndex) {
        return null;
    }

    /// A VMA of this object was duplicated or split (`vm_open` past the GEM reference).
    protected void vmOpen() {
    }

    /// A VMA of this object went away (`vm_close` before the GEM reference is dropped).
    protected void vmClose() {
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + dev.name() + ", " + size + " bytes, refs " + refs.get()
                + ", handles " + handleCount + "]";
    }
}
