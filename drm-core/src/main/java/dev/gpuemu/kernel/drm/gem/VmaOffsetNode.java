package dev.gpuemu.kernel.drm.gem;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/// `drm_vma_offset_node`: an object's place in its device's fake-offset space plus the set of
/// files allowed to map it. Embedded in every [GemObject]; it has a place only after
/// [GemObject#createMmapOffset()] and loses it at purge or free.
///
/// ## Invariants
/// `start() == 0` exactly while the node is not in the [VmaOffsetManager] (real starts are at
/// least [VmaOffsetManager#DRM_FILE_PAGE_OFFSET_START]); each grant count is positive.
///
/// ## Thread safety
/// `start`/`pages` are written under the manager's lock and published with volatile writes;
/// grants are guarded by this node's monitor (the kernel's per-node `vm_lock`).
public final class VmaOffsetNode {
    private final GemObject owner;
    private volatile long start;
    private volatile long pages;
    // Guarded by this. Counted: a file may hold several handles to one object.
    private final Map<GemFile, Integer> grants = new HashMap<>(4);

    VmaOffsetNode(GemObject owner) {
        this.owner = Objects.requireNonNull(owner, "owner");
    }

    /// The object this node belongs to.
    public GemObject owner() {
        return owner;
    }

    /// First fake page, or 0 when the node has no place.
    public long start() {
        return start;
    }

    /// Pages spanned (0 when the node has no place).
    public long pages() {
        return pages;
    }

    /// Whether the node has a place in the offset space.
    public boolean isAllocated() {
        return start != 0;
    }

    /// `drm_vma_node_offset_addr`: the byte offset userspace passes to mmap (0 when unallocated).
    public long offsetAddr() {
        return start << VmaOffsetManager.PAGE_SHIFT;
    }

    void place(long start, long pages) {
        this.pages = pages;
        this.start = start;
    }

    void clear() {
        this.start = 0;
        this.pages = 0;
    }

    synchronized void allow(GemFile file) {
        grants.merge(file, 1, Integer::sum);
    }

    synchronized void revoke(GemFile file) {
        Integer n = grants.get(file);
        if (n == null) {
            return;
        }
        if (n == 1) {
            grants.remove(file);
        } else {
            grants.put(file, n - 1);
        }
    }

    synchronized boolean isAllowed(GemFile file) {
        return grants.containsKey(file);
    }

    synchronized int grantCount() {
        return grants.size();
    }

    @Override
    public String toString() {
        return "vma node [0x" + Long.toHexString(start) + "+" + pages + " pages]";
    }
}
