package dev.gpuemu.machine.pages;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/// Scalar pieces of [VectorPageOps] for ranges shorter than one vector (short segments and
/// loop tails): whole little-endian words first, then single bytes. Every method works on
/// `[from, to)` of its segment(s).
final class SmallOps {
    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    private static final ValueLayout.OfInt INT_LE =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private SmallOps() {
    }

    /// `pattern` repeated with phase 0 at `from`.
    static void fill64(MemorySegment dst, long from, long to, long pattern) {
        long i = from;
        for (; i <= to - 8; i += 8) {
            dst.set(LONG_LE, i, pattern);
        }
        for (int k = 0; i < to; i++, k++) {
            dst.set(BYTE, i, (byte) (pattern >>> (8 * k)));
        }
    }

    static long mismatch(MemorySegment a, MemorySegment b, long from, long to) {
        long i = from;
        for (; i <= to - 8; i += 8) {
            long diff = a.get(LONG_LE, i) ^ b.get(LONG_LE, i);
            if (diff != 0) {
                return i + (Long.numberOfTrailingZeros(diff) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (a.get(BYTE, i) != b.get(BYTE, i)) {
                return i;
            }
        }
        return -1;
    }

    static boolean isZero(MemorySegment s, long from, long to) {
        long any = 0;
        long i = from;
        for (; i <= to - 8; i += 8) {
            any |= s.get(LONG_LE, i);
        }
        for (; i < to; i++) {
            any |= s.get(BYTE, i);
        }
        return any == 0;
    }

    /// Pattern words `w, w + STEP, ...` from `from` (both multiples of 8 apart from `to`).
    static void fillPattern(MemorySegment dst, long from, long to, long w) {
        for (long i = from; i < to; i += 8, w += PagePattern.STEP) {
            dst.set(LONG_LE, i, w);
        }
    }

    static long verifyPattern(MemorySegment s, long from, long to, long w) {
        for (long i = from; i < to; i += 8, w += PagePattern.STEP) {
            long diff = s.get(LONG_LE, i) ^ w;
            if (diff != 0) {
                return i + (Long.numberOfTrailingZeros(diff) >>> 3);
            }
        }
        return -1;
    }

    static void swizzle(MemorySegment src, MemorySegment dst, long from, long to) {
        for (long i = from; i < to; i += 4) {
            int x = src.get(INT_LE, i);
            dst.set(INT_LE, i, (x & 0xFF00_FF00) | (Integer.rotateLeft(x, 16) & 0x00FF_00FF));
        }
    }
}
