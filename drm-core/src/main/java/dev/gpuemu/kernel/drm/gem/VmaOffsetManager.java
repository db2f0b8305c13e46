package dev.gpuemu.kernel.drm.gem;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.uapi.Errno;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/// `drm_vma_offset_manager`: hands out page-granular fake offsets in the DRM device file so
/// userspace can mmap an object at `node.start() << PAGE_SHIFT`, finds the object again by
/// exact (pgoff, pages) lookup, and keeps the per-file mmap grants.
///
/// The space starts at [#DRM_FILE_PAGE_OFFSET_START] (4 GiB into the file, so the fake offsets
/// never collide with legacy map offsets) and spans [#DRM_FILE_PAGE_OFFSET_SIZE] pages (the
/// 64-bit value). Placement is first fit over the free extents, lowest address first.
///
/// ## Invariants
/// Allocated nodes do not overlap and lie inside the space; free extents are coalesced and
/// together with the nodes tile the space exactly.
///
/// ## Thread safety
/// Thread-safe: a read-write lock (`vm_lock`); lookups share it, add/remove take it exclusively.
public final class VmaOffsetManager {
    /// Page shift of the emulated CPU.
    public static final int PAGE_SHIFT = 12;
    /// `DRM_FILE_PAGE_OFFSET_START`, in pages.
    public static final long DRM_FILE_PAGE_OFFSET_START = (0xFFFF_FFFFL >>> PAGE_SHIFT) + 1;
    /// `DRM_FILE_PAGE_OFFSET_SIZE` on 64-bit, in pages.
    public static final long DRM_FILE_PAGE_OFFSET_SIZE = (0xFFFF_FFFFL >>> PAGE_SHIFT) * 256;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    // Guarded by lock: start page -> node, and start page -> free extent length.
    private final TreeMap<Long, VmaOffsetNode> nodes = new TreeMap<>();
    private final TreeMap<Long, Long> free = new TreeMap<>();

    public VmaOffsetManager() {
        free.put(DRM_FILE_PAGE_OFFSET_START, DRM_FILE_PAGE_OFFSET_SIZE);
    }

    /// `drm_vma_offset_add`: gives `node` a place of `pages` pages; a node that already has one
    /// keeps it (idempotent, `pages` is then ignored).
    ///
    /// @throws KernelException ENOSPC when no free extent is large enough
    public void add(VmaOffsetNode node, long pages) throws KernelException {
        Objects.requireNonNull(node, "node");
        if (pages <= 0) {
            throw new IllegalArgumentException("pages must be positive: " + pages);
        }
        lock.writeLock().lock();
        try {
            if (node.isAllocated()) {
                return;
            }
            for (Map.Entry<Long, Long> e : free.entrySet()) {
                long start = e.getKey();
                long len = e.getValue();
                if (len >= pages) {
                    free.remove(start);
                    if (len > pages) {
                        free.put(start + pages, len - pages);
                    }
                    nodes.put(start, node);
                    node.place(start, pages);
                    return;
                }
            }
            throw new KernelException(Errno.ENOSPC, "fake offset space exhausted");
        } finally {
            lock.writeLock().unlock();
        }
    }

    /// `drm_vma_offset_remove`: gives the node's place back; a node without one is left alone.
    ///
    /// A node that never got a place (most objects: offsets are created on the first mmap-offset
    /// request) returns without taking the device-wide lock, so freeing such objects on two
    /// files does not serialise on it.
    public void remove(VmaOffsetNode node) {
        Objects.requireNonNull(node, "node");
        // ORDERING: volatile read of `start`. `remove` runs at the object's free, after its last
        // reference dropped; `add` needs a reference, so every `place` happened-before the final
        // reference drop (an atomic decrement) this thread observed: a 0 here is final.
        if (!node.isAllocated()) {
            return;
        }
        lock.writeLock().lock();
        try {
            if (!node.isAllocated()) {
                return;
            }
            long start = node.start();
            long len = node.pages();
            if (nodes.remove(start) != node) {
                throw new IllegalStateException("offset node not in this manager: " + node);
            }
            node.clear();
            Map.Entry<Long, Long> below = free.floorEntry(start);
            if (below != null && below.getKey() + below.getValue() == start) {
                free.remove(below.getKey());
                start = below.getKey();
                len += below.getValue();
            }
            Long aboveLen = free.remove(start + len);
            if (aboveLen != null) {
                len += aboveLen;
            }
            free.put(start, len);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /// `drm_vma_offset_exact_lookup_locked`: the node that starts exactly at `pgoff` and spans at
    /// least `pages` pages, or null.
    public VmaOffsetNode exactLookup(long pgoff, long pages) {
        lock.readLock().lock();
        try {
            return exactLookupLocked(pgoff, pages);
        } finally {
            lock.readLock().unlock();
        }
    }

    private VmaOffsetNode exactLookupLocked(long pgoff, long pages) {
        VmaOffsetNode n = nodes.get(pgoff);
        if (n == null || pages <= 0 || n.pages() < pages) {
            return null;
        }
        return n;
    }

    /// The lookup `drm_gem_mmap` does: the object whose node matches exactly, with a new
    /// reference (`kref_get_unless_zero` under the lookup lock), or null when there is none or
    /// the object is already dying (its refcount reached 0 and its free has not yet removed the
    /// node).
    public GemObject lookupObject(long pgoff, long pages) {
        lock.readLock().lock();
        try {
            VmaOffsetNode n = exactLookupLocked(pgoff, pages);
            if (n == null) {
                return null;
            }
            GemObject obj = n.owner();
            return obj.tryGet() ? obj : null;
        } finally {
            lock.readLock().unlock();
        }
    }

    /// `drm_vma_node_allow`: lets `file` map the node (counted; one per handle).
    public void allow(VmaOffsetNode node, GemFile file) {
        node.allow(Objects.requireNonNull(file, "file"));
    }

    /// `drm_vma_node_revoke`: drops one grant of `file`; the last one forbids mapping.
    public void revoke(VmaOffsetNode node, GemFile file) {
        node.revoke(Objects.requireNonNull(file, "file"));
    }

    /// `drm_vma_node_is_allowed`.
    public boolean isAllowed(VmaOffsetNode node, GemFile file) {
        return node.isAllowed(file);
    }

    /// Number of nodes with a place.
    public int size() {
        lock.readLock().lock();
        try {
            return nodes.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /// Number of free extents (1 when empty: the whole space). For tests of coalescing.
    public int freeExtents() {
        lock.readLock().lock();
        try {
            return free.size();
        } finally {
            lock.readLock().unlock();
        }
    }
}
