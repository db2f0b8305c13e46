package dev.gpuemu.machine.pages;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/// The reference [PageOps]: plain per-element loops, no Vector API and no bulk JDK helpers, so
/// that it is obviously correct and independent of what [VectorPageOps] relies on. Slow on
/// purpose; tests hold the fast implementation to it.
///
/// ## Thread safety
/// Stateless; the singleton is [PageEngine#scalar()].
final class ScalarPageOps implements PageOps {
    static final ScalarPageOps INSTANCE = new ScalarPageOps();

    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    private static final ValueLayout.OfLong LONG_LE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private ScalarPageOps() {
    }

    @Override
    public void zero(MemorySegment dst) {
        long n = dst.byteSize();
        for (long i = 0; i < n; i++) {
            dst.set(BYTE, i, (byte) 0);
        }
    }

    @Override
    public void fill64(MemorySegment dst, long pattern) {
        long n = dst.byteSize();
        for (long i = 0; i < n; i++) {
            dst.set(BYTE, i, (byte) (pattern >>> (8 * (i & 7))));
        }
    }

    @Override
    public void copy(MemorySegment src, MemorySegment dst) {
        PageChecks.sameLength(src, dst);
        long n = src.byteSize();
        for (long i = 0; i < n; i++) {
            dst.set(BYTE, i, src.get(BYTE, i));
        }
    }

    @Override
    public long mismatch(MemorySegment a, MemorySegment b) {
        long na = a.byteSize();
        long nb = b.byteSize();
        long n = Math.min(na, nb);
        for (long i = 0; i < n; i++) {
            if (a.get(BYTE, i) != b.get(BYTE, i)) {
                return i;
            }
        }
        return na == nb ? -1 : n;
    }

    @Override
    public boolean isZero(MemorySegment s) {
        long n = s.byteSize();
        for (long i = 0; i < n; i++) {
            if (s.get(BYTE, i) != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void fillPattern(MemorySegment dst, long seed, long base) {
        PageChecks.patternAligned(dst, base);
        long n = dst.byteSize();
        for (long i = 0; i < n; i += 8) {
            dst.set(LONG_LE, i, PagePattern.word(seed, base + i));
        }
    }

    @Override
    public long verifyPattern(MemorySegment s, long seed, long base) {
        PageChecks.patternAligned(s, base);
        long n = s.byteSize();
        for (long i = 0; i < n; i += 8) {
            long want = PagePattern.word(seed, base + i);
            for (int k = 0; k < 8; k++) {
                if (s.get(BYTE, i + k) != (byte) (want >>> (8 * k))) {
                    return i + k;
                }
            }
        }
        return -1;
    }

    @Override
    public int crc32c(int crc, MemorySegment s) {
        int register = ~crc;
        long n = s.byteSize();
        for (long i = 0; i < n; i++) {
            register = Crc32cTable.step(register, s.get(BYTE, i));
        }
        return ~register;
    }

    @Override
    public void swizzleRgbaBgra(MemorySegment src, MemorySegment dst) {
        PageChecks.pixels(src, dst);
        long n = src.byteSize();
        for (long i = 0; i < n; i += 4) {
            byte b0 = src.get(BYTE, i);
            byte b1 = src.get(BYTE, i + 1);
            byte b2 = src.get(BYTE, i + 2);
            byte b3 = src.get(BYTE, i + 3);
            dst.set(BYTE, i, b2);
            dst.set(BYTE, i + 1, b1);
            dst.set(BYTE, i + 2, b0);
            dst.set(BYTE, i + 3, b3);
        }
    }

    @Override
    public String toString() {
        return "ScalarPageOps";
    }
}
