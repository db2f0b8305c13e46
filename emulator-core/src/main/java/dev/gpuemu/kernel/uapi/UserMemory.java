package dev.gpuemu.kernel.uapi;

import java.lang.foreign.MemorySegment;

/// User code's loads and stores to its own address space, little-endian like the emulated CPU.
///
/// Each access is translated through the process's VMAs and page table; a missing page table
/// entry is faulted in through the mapping's fault handler (for a GEM object, its shmem page). An
/// access to an unmapped address or against the mapping's protection raises [UserFault] with
/// `SIGSEGV`; a fault handler that has no page (beyond the object, purged) raises `SIGBUS`. An
/// access may span pages and VMAs.
///
/// ## Thread safety
/// Thread-safe. A single aligned access of up to 8 bytes within one page is atomic (plain
/// memory semantics, no ordering beyond that of the caller's own program order).
///
/// ## Performance
/// Allocation-free on the hit path (VMA lookup plus page table load).
public interface UserMemory {
    byte getByte(long va);

    void putByte(long va, byte value);

    int getInt(long va);

    void putInt(long va, int value);

    long getLong(long va);

    void putLong(long va, long value);

    /// Copies `length` bytes at `va` into `dst` starting at `dstOffset`.
    void read(long va, MemorySegment dst, long dstOffset, long length);

    /// Copies `length` bytes from `src` starting at `srcOffset` to `va`.
    void write(long va, MemorySegment src, long srcOffset, long length);

    /// Stores `length` copies of `value` at `va` (memset).
    void fill(long va, long length, byte value);
}
