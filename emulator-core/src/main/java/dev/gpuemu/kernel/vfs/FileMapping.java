package dev.gpuemu.kernel.vfs;

import java.util.Objects;
import java.util.concurrent.CopyOnWriteArraySet;

/// `struct address_space` of a file as far as mappings go: the set of VMAs (in any process) that
/// map it, so a driver can zap their page table entries (`unmap_mapping_range`). The next access
/// to a zapped page faults again through the VMA's [VmaOps#fault].
///
/// ## Thread safety
/// Thread-safe. `zapRange` returns only after every affected page table entry is gone: no user
/// access that starts after the return uses a page installed before it.
public final class FileMapping {
    /// A mapped range that can drop its page table entries: implemented by the memory manager's
    /// VMAs.
    public interface Mapped {
        /// Drops the entries of file pages `[pgoff, pgoff + pages)` that this VMA maps.
        void zap(long pgoff, long pages);
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
        for (Mapped m : mapped) {
            m.zap(pgoff, pages);
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
