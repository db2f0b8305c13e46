package dev.gpuemu.machine.pages;

import java.lang.foreign.MemorySegment;

/// The page engine's operations over native memory segments: system-memory pages
/// (`SystemMemory.direct`), BAR memory backed by Chronicle Bytes (`MmioRegion.segment`), or any
/// other native segment. Multi-byte values are little-endian.
///
/// Lengths are arbitrary unless a method says otherwise (a page is 4096 bytes, a contiguous run
/// is a multiple of it, but every operation also handles ragged tails). Two implementations
/// exist: [PageEngine#vector()] (jdk.incubator.vector) and [PageEngine#scalar()] (plain
/// per-element loops, the reference tests compare against). They must agree bit for bit.
///
/// ## Thread safety
/// Implementations are stateless and thread-safe; callers own the memory they pass.
///
/// ## Allocation
/// Implementations allocate nothing per call after warm-up (checked with JMH `-prof gc`).
public interface PageOps {
    /// Sets every byte of `dst` to 0.
    void zero(MemorySegment dst);

    /// Fills `dst` with the little-endian 64-bit `pattern`, repeated from offset 0 (a trailing
    /// partial word gets the pattern's low bytes).
    void fill64(MemorySegment dst, long pattern);

    /// Copies `src` to `dst`; the two must have the same length and must not overlap.
    void copy(MemorySegment src, MemorySegment dst);

    /// Offset of the first byte where `a` and `b` differ, or -1 when equal; when the lengths
    /// differ and the shorter is a prefix of the longer, the shorter length.
    long mismatch(MemorySegment a, MemorySegment b);

    /// Whether every byte of `s` is 0.
    boolean isZero(MemorySegment s);

    /// Fills `dst` with the test pattern of `seed` as if `dst` started at byte address `base`:
    /// the 64-bit word at address `a` (a multiple of 8) is [PagePattern#word(long, long)] of
    /// `(seed, a)`. The same bytes are produced whichever way a region is split into calls.
    /// `base` and the length must be multiples of 8.
    void fillPattern(MemorySegment dst, long seed, long base);

    /// Offset of the first byte of `s` that differs from the test pattern of `seed` at `base`,
    /// or -1 when it all matches. Same alignment rules as [#fillPattern].
    long verifyPattern(MemorySegment s, long seed, long base);

    /// CRC32C (Castagnoli, reflected, initial and final XOR 0xFFFFFFFF) of `s`, continuing from
    /// `crc` (pass 0 to start). Matches `java.util.zip.CRC32C`.
    int crc32c(int crc, MemorySegment s);

    /// Swaps bytes 0 and 2 of every 32-bit pixel (RGBA8888 <-> BGRA8888) from `src` into `dst`
    /// (same length, a multiple of 4; `src == dst` swizzles in place).
    void swizzleRgbaBgra(MemorySegment src, MemorySegment dst);
}
