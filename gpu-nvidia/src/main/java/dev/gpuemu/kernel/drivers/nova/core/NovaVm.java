package dev.gpuemu.kernel.drivers.nova.core;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.machine.mem.PageRun;
import java.util.List;
import java.util.Objects;

/// A GPU virtual address space (GMMU version-2 page tables, built by nova-core with the
/// `regs.nvidia.GmmuPde`/`GmmuPte` encoders in coherent system memory).
///
/// The user range is `[USER_VA_START, USER_VA_END)` minus the kernel range
/// `[KERNEL_VA_START, KERNEL_VA_END)` (the last 4 GiB below 2^40, because GPFIFO entries address
/// 40 bits), where nova-core maps each channel's GPFIFO, kernel pushbuffer slots and semaphore;
/// [#map] refuses it. Pushbuffers a channel runs must lie below 2^40 as well.
///
/// ## Invariants
/// Every mapped page is 4 KiB aligned in VA and in its target and inside the user range; no VA is
/// mapped twice. A channel fault does not make the VM unusable (only the channel stops).
///
/// ## Thread safety
/// Thread-safe: one lock serialises page-table updates. The device reads the tables on every
/// translation (no TLB): an update is visible to the next copy; unmapping memory a running copy
/// uses is the caller's race (as on hardware).
///
/// ## Lifecycle
/// created by [NovaAuxData#createVm] → closed once (second close throws
/// `IllegalStateException`); closing with live channels stops them first. After nova-core's unbind
/// every method but `close` counts an oops and throws `UseAfterUnbindException`.
public interface NovaVm extends AutoCloseable {
    /// GPU page size.
    long PAGE_SIZE = 4096;
    /// First user VA (the first 64 KiB stay unmapped so that address 0 faults).
    long USER_VA_START = 0x1_0000L;
    /// End of the user range (exclusive): 2^48.
    long USER_VA_END = 1L << 48;
    /// Start of the kernel range (channel rings and semaphores): 2^40 - 4 GiB.
    long KERNEL_VA_START = 0xFF_0000_0000L;
    /// End of the kernel range (exclusive): 2^40.
    long KERNEL_VA_END = 1L << 40;
    /// Highest address (exclusive) a GPFIFO entry can point at: pushbuffers must end below it.
    long PUSHBUFFER_VA_END = 1L << 40;

    /// What a VA range maps to.
    sealed interface Target permits Vram, SysPages {
    }

    /// VRAM of `allocation`, starting `offset` bytes into it (4 KiB aligned).
    record Vram(VramAllocation allocation, long offset) implements Target {
        public Vram {
            Objects.requireNonNull(allocation, "allocation");
        }

        public Vram(VramAllocation allocation) {
            this(allocation, 0);
        }
    }

    /// System memory pages by DMA address (4 KiB each, in VA order): the pages of a GEM shmem
    /// object (`ShmemObject.getPagesSgt()`), pinned by the caller for as long as they are mapped.
    record SysPages(long[] dmaAddresses) implements Target {
        public SysPages {
            dmaAddresses = dmaAddresses.clone();
        }

        /// The 4 KiB pages of `runs`, in order.
        public static SysPages of(List<PageRun> runs) {
            long n = 0;
            for (PageRun r : runs) {
                n += r.bytes() / PAGE_SIZE;
            }
            long[] pages = new long[Math.toIntExact(n)];
            int i = 0;
            for (PageRun r : runs) {
                for (long off = 0; off < r.bytes(); off += PAGE_SIZE) {
                    pages[i++] = r.physAddr() + off;
                }
            }
            return new SysPages(pages);
        }

        @Override
        public long[] dmaAddresses() {
            return dmaAddresses.clone();
        }

        /// Number of pages.
        public int pages() {
            return dmaAddresses.length;
        }
    }

    /// Maps `[va, va + size)` to `target` (read-only when `readOnly`: device writes fault).
    ///
    /// @throws KernelException `EINVAL` for a VA or size not 4 KiB aligned, `size <= 0`, a range
    ///         outside the user range (or touching the kernel range), an overlap with an existing mapping, a target too small for
    ///         `size` (VRAM: `offset + size > allocation.size()`; sysmem: fewer pages), a misaligned
    ///         target page, a closed VRAM allocation or a closed VM; `ENOMEM` when a page table
    ///         cannot be allocated (nothing is mapped then)
    void map(long va, long size, Target target, boolean readOnly) throws KernelException;

    /// Unmaps `[va, va + size)`; pages not mapped are skipped. Returns the number of pages unmapped.
    ///
    /// @throws KernelException `EINVAL` for a misaligned range or one outside the user range, or a
    ///         closed VM
    long unmap(long va, long size) throws KernelException;

    /// Number of user pages mapped.
    long mappedPages();

    /// Releases the page tables (after stopping channels still using this VM).
    @Override
    void close();
}
