package dev.gpuemu.kernel.vfs;

import java.lang.foreign.MemorySegment;

/// `vm_operations_struct`: a mapping's open/close hooks and its page fault handler.
///
/// ## Thread safety
/// `fault` may run concurrently for different pages and processes; `open`/`close` pair up per VMA
/// (a VMA split by a partial `munmap` calls `open` for the new piece).
public interface VmaOps {
    /// A new VMA now shares this mapping (split or duplication).
    default void open(Vma vma) {
    }

    /// The VMA goes away (munmap, process exit). Called once per VMA that was set up or opened.
    default void close(Vma vma) {
    }

    /// Resolves page `pageIndex` of the VMA (0 = the page at `vma.start()`), i.e. file page
    /// `vma.pgoff() + pageIndex`. Returns that 4 KiB page, which the page table keeps until the
    /// VMA is unmapped or the range is zapped, or `null` for `SIGBUS`.
    MemorySegment fault(Vma vma, long pageIndex);
}
