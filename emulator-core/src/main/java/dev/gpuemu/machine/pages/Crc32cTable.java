package dev.gpuemu.machine.pages;

/// The byte-at-a-time table of the reflected CRC32C (Castagnoli) polynomial `0x82F63B78`, written
/// out so the scalar reference does not depend on `java.util.zip.CRC32C`, plus the inverse step
/// that lets [VectorPageOps] resume the JDK's CRC32C from an arbitrary value.
///
/// The *register* is the raw shift-register state: a CRC value `c` (as the contract and
/// `java.util.zip.CRC32C` report it) corresponds to the register `~c`.
///
/// ## Invariants
/// `TABLE[i]` is the register after shifting byte `i` through a zero register; the top bytes of
/// the 256 entries are a permutation of 0..255 (checked at class init), which is what makes
/// [#unshiftZeroByte(int)] well defined.
///
/// ## Thread safety
/// Immutable after class initialisation.
final class Crc32cTable {
    /// The reflected Castagnoli polynomial.
    static final int POLY = 0x82F6_3B78;

    /// `TABLE[i]`: register after feeding byte `i` into a zero register.
    private static final int[] TABLE = new int[256];
    /// `BY_TOP[t]`: the index `i` whose `TABLE[i] >>> 24 == t`.
    private static final int[] BY_TOP = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int r = i;
            for (int k = 0; k < 8; k++) {
                r = (r & 1) != 0 ? (r >>> 1) ^ POLY : r >>> 1;
            }
            TABLE[i] = r;
        }
        boolean[] seen = new boolean[256];
        for (int i = 0; i < 256; i++) {
            int top = TABLE[i] >>> 24;
            if (seen[top]) {
                throw new AssertionError("CRC32C table top bytes are not a permutation");
            }
            seen[top] = true;
            BY_TOP[top] = i;
        }
    }

    private Crc32cTable() {
    }

    /// Shifts one byte into the register.
    static int step(int register, int b) {
        return (register >>> 8) ^ TABLE[(register ^ b) & 0xFF];
    }

    /// The register `r` such that `step(r, 0) == register`.
    static int unshiftZeroByte(int register) {
        int i = BY_TOP[register >>> 24];
        return ((register ^ TABLE[i]) << 8) | i;
    }

    /// The four bytes (little-endian in an int) that take the JDK's freshly reset CRC32C
    /// (register `0xFFFFFFFF`) to the register of CRC value `crc`, so that continuing there
    /// gives the same result as continuing from `crc`.
    ///
    /// Feeding bytes `x` from register `s` equals feeding four zero bytes from `s ^ x`, and the
    /// zero-byte step is invertible; so `x = 0xFFFFFFFF ^ unshift^4(~crc)`.
    static int resumeBytes(int crc) {
        int r = ~crc;
        for (int k = 0; k < 4; k++) {
            r = unshiftZeroByte(r);
        }
        return r ^ 0xFFFF_FFFF;
    }
}
