package dev.gpuemu.kernel.drivers.tyr.sched;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.uapi.Errno;
import java.util.Map;
import java.util.TreeMap;

/// A first-fit allocator of page-aligned VA ranges inside `[start, end)` (the `drm_mm` panthor
/// uses for kernel BOs with `PANTHOR_VM_KERNEL_AUTO_VA`).
///
/// ## Invariants
/// Allocated ranges are page aligned, inside `[start, end)` and pairwise disjoint.
///
/// ## Thread safety
/// Thread-safe (monitor).
final class KernelVaSpace {
    static final long PAGE = 4096;

    private final long start;
    private final long end;
    private final TreeMap<Long, Long> used = new TreeMap<>(); // start -> size

    KernelVaSpace(long start, long end) {
        this.start = start;
        this.end = end;
    }

    /// A free range of `size` bytes (rounded up to pages); `ENOMEM` when none is left.
    synchronized long alloc(long size) throws KernelException {
        long len = (size + PAGE - 1) & -PAGE;
        long cur = start;
        for (Map.Entry<Long, Long> e : used.entrySet()) {
            if (e.getKey() - cur >= len) {
                break;
            }
            cur = e.getKey() + e.getValue();
        }
        if (end - cur < len) {
            throw new KernelException(Errno.ENOMEM, "kernel VA space exhausted");
        }
        used.put(cur, len);
        return cur;
    }

    synchronized void free(long va) {
        if (used.remove(va) == null) {
            throw new IllegalStateException(String.format("VA 0x%x not allocated", va));
        }
    }

    synchronized int ranges() {
        return used.size();
    }
}
