package dev.gpuemu.machine.pages;

/// The deterministic test pattern behind [PageOps#fillPattern] and [PageOps#verifyPattern].
///
/// Word `w(seed, a)` at byte address `a` is `start(seed) + (a / 8) * STEP` (mod 2^64): an
/// arithmetic progression in the word index, so a vector fill is one add per lane group, while
/// every word of memory (and so every page of a run) has a value that depends on both the seed
/// and its address. A page written at the wrong address, a stale page, a torn write or a flipped
/// bit all show up as a mismatch.
public final class PagePattern {
    /// Odd increment (the 64-bit golden ratio): consecutive words differ in many bits.
    public static final long STEP = 0x9E37_79B9_7F4A_7C15L;

    private PagePattern() {
    }

    /// The word-0 value of a seed: splitmix64's finaliser of the seed.
    public static long start(long seed) {
        long z = seed + STEP;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    /// The pattern word at byte address `address` (a multiple of 8).
    public static long word(long seed, long address) {
        return start(seed) + (address >>> 3) * STEP;
    }
}
