package dev.gpuemu.machine.bus;

/// Access rules of one block of an [MmioRegion], QEMU's `MemoryRegionOps.valid` vs `.impl`.
///
/// - `valid` (`validMin..validMax`, `unalignedValid`): what the *guest* may do. Anything else is a
///   guest error: reads answer open bus, writes are dropped.
/// - `impl` (`implMin..implMax`): what the *handler* implements. The region splits a valid access
///   wider than `implMax` into `implMax`-sized pieces (little-endian, low address first) and widens
///   one narrower than `implMin` (reads extract the bytes; writes read-modify-write).
///
/// For memory blocks only `valid` matters (memory is accessed directly at any size).
///
/// ## Invariants
/// All four sizes are powers of two in 1..8, `validMin <= validMax`, `implMin <= implMax`.
///
/// @param validMin smallest access the guest may make, in bytes
/// @param validMax largest access the guest may make, in bytes
/// @param unalignedValid whether the guest may make accesses not aligned to their size
/// @param implMin smallest access the handler implements
/// @param implMax largest access the handler implements
public record AccessSpec(int validMin, int validMax, boolean unalignedValid, int implMin, int implMax) {

    /// 32-bit registers only: the common case for device registers.
    public static final AccessSpec DWORD_ONLY = new AccessSpec(4, 4, false, 4, 4);
    /// Guest may use 32- or 64-bit accesses; the handler implements 32-bit only (64-bit accesses are split).
    public static final AccessSpec DWORD_QWORD_SPLIT = new AccessSpec(4, 8, false, 4, 4);
    /// Guest may use 32- or 64-bit accesses and the handler implements both (QEMU edu's ops).
    public static final AccessSpec DWORD_QWORD = new AccessSpec(4, 8, false, 4, 8);
    /// Any aligned access of 1..8 bytes, implemented at every size: the default for memory blocks.
    public static final AccessSpec ANY_ALIGNED = new AccessSpec(1, 8, false, 1, 8);

    /// Validates the sizes.
    public AccessSpec {
        checkSize("validMin", validMin);
        checkSize("validMax", validMax);
        checkSize("implMin", implMin);
        checkSize("implMax", implMax);
        if (validMin > validMax) {
            throw new IllegalArgumentException("validMin " + validMin + " > validMax " + validMax);
        }
        if (implMin > implMax) {
            throw new IllegalArgumentException("implMin " + implMin + " > implMax " + implMax);
        }
    }

    /// Aligned accesses with `valid` and `impl` both `min..max`.
    public static AccessSpec of(int min, int max) {
        return new AccessSpec(min, max, false, min, max);
    }

    /// Aligned accesses with distinct `valid` and `impl` ranges.
    public static AccessSpec of(int validMin, int validMax, int implMin, int implMax) {
        return new AccessSpec(validMin, validMax, false, implMin, implMax);
    }

    /// Whether the guest may make an access of `bytes` bytes.
    public boolean isValidSize(int bytes) {
        return bytes >= validMin && bytes <= validMax;
    }

    private static void checkSize(String what, int v) {
        if (v != 1 && v != 2 && v != 4 && v != 8) {
            throw new IllegalArgumentException(what + " must be 1, 2, 4 or 8, got " + v);
        }
    }
}
