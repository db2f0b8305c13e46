package dev.gpuemu.kernel.vfs;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArraySet;

/// `struct address_space` of a file as far as mappings go: the set of VMAs (in any process) that
/// map it, so a driver can zap their page table entries (`unmap_mapping_range`). The next access
/// to a zapped page faults again through the VMA's [VmaOps#fault].
///
/// A zap clears the entries of every VMA first and then waits once per address space for the
/// accesses that may still use a cleared entry (Linux flushes the TLB per mm, not per VMA): a
/// process with many mappings of the file pays one grace period, not one per VMA.
///
/// ## Thread safety
/// Thread-safe. `zapRange` returns only after every affected page table entry is gone: no user
/// access that starts after the return uses a page installed before it.
public final class FileMapping {
    /// The accesses of one address space, which a zap waits for after clearing entries.
    public interface AccessDomain {
        /// Returns once every user access that was running at the call has ended.
        void synchronizeAccesses();
    }

    /// A mapped range that can drop its page table entries: implemented by the memory manager's
    /// VMAs.
    public interface Mapped {
        /// Drops the entries of file pages `[pgoff, pgoff + pages)` that this VMA maps, without
        /// waiting for accesses that may still use them.
        ///
        /// @return the address space whose accesses the caller must wait for before the entries
        ///         count as gone, or null when no entry was present
        AccessDomain clear(long pgoff, long pages);
    }

    private final String name;
    private final CopyOnWriteArraySet<Mapped> mapped = new CopyOnWriteArraySet<>();

    public FileMapping(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /// A VMA now maps this file (called by the memory manager after a successful mmap).
    public void add(Mapped vma) {
        mapped.add(vma);
    }

    /// The VMA is gone.
    public void remove(Mapped vma) {
        mapped.remove(vma);
    }

    /// `unmap_mapping_range(mapping, pgoff, pages)`: zaps in every VMA mapping the file.
    public void zapRange(long pgoff, long pages) {
        AccessDomain first = null;
        List<AccessDomain> more = null;
        for (Mapped m : mapped) {
            AccessDomain d = m.clear(pgoff, pages);
            if (d == null || d == first || (more != null && more.contains(d))) {
                continue;
            }
            if (first == null) {
                first = d;
            } else {
                if (more == null) {
                    more = new ArrayList<>(2);
                }
                more.add(d);
            }
        }
        // Every entry is cleared before the first wait; each wait then covers all of its
        // address space's accesses that may have read a cleared entry.
        if (first != null) {
            first.synchronizeAccesses();
        }
        if (more != null) {
            for (AccessDomain d : more) {
                d.synchronizeAccesses();
            }
        }
    }

    /// Zaps every mapping of the file.
    public void zapAll() {
        zapRange(0, Long.MAX_VALUE >>> 1);
    }

    /// Number of VMAs mapping the file.
    public int mappedCount() {
        return mapped.size();
    }

    @Override
    public String toString() {
        return "mapping " + name + " (" + mapped.size() + " vmas)";
    }
}
