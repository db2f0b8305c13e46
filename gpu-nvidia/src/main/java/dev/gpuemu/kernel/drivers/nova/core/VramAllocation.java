package dev.gpuemu.kernel.drivers.nova.core;

import java.lang.foreign.MemorySegment;

/// A range of VRAM owned by its holder: `[offset(), offset() + size())` in VRAM addresses
/// (= BAR1 offsets), with CPU access through BAR1.
///
/// ## Invariants
/// 4 KiB aligned offset and size, inside `[0, NovaAuxData.usableVramSize())`, disjoint from every
/// other live allocation. Freed exactly once: by [#close] or by nova-core's unbind.
///
/// ## Thread safety
/// Thread-safe; CPU accessors are plain accesses (order them before a submit: the doorbell MMIO
/// write orders earlier memory writes).
///
/// ## Lifecycle
/// allocated while nova-core is bound → closed once (a second close throws
/// `IllegalStateException`); after nova-core's unbind every method but `close` counts an oops and
/// throws `UseAfterUnbindException`, and close only marks it closed.
public interface VramAllocation extends AutoCloseable {
    /// VRAM address (= BAR1 offset) of the first byte.
    long offset();

    /// Size in bytes (a multiple of 4 KiB).
    long size();

    int read32(long offset);

    void write32(long offset, int value);

    long read64(long offset);

    void write64(long offset, long value);

    /// Copies `length` bytes at `offset` into `dst[dstOffset..]`.
    void read(long offset, byte[] dst, int dstOffset, int length);

    /// Copies `length` bytes from `src[srcOffset..]` to `offset`.
    void write(long offset, byte[] src, int srcOffset, int length);

    /// The 4 KiB page `pageIndex` of this allocation as the CPU sees it through BAR1: what an mmap
    /// fault handler installs. The segment stays valid memory after unbind; the mmap owner must zap
    /// its mappings before nova-core's unbind completes (nova-drm does in its unbind).
    ///
    /// @throws IndexOutOfBoundsException for a page outside the allocation (a caller bug)
    MemorySegment page(long pageIndex);

    /// Returns the range to the allocator.
    @Override
    void close();
}
