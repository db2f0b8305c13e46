package dev.gpuemu.machine.pages;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/// The fast [PageOps]: `jdk.incubator.vector` loops over the preferred species (512-bit on an
/// AVX-512 host), with a JDK intrinsic where that is faster (copy: `MemorySegment.copy`; CRC32C:
/// `java.util.zip.CRC32C`, see [Crc32cJdk]).
///
/// Loops advance one whole vector at a time and test once per vector (is-zero: once per four
/// vectors, OR-ed). The pattern loops add `lanes * STEP` per vector: no vector multiplies.
/// Tails shorter than a vector are handled either by re-running the last whole vector ending at
/// the segment's end (zero, is-zero, mismatch: idempotent or order-safe there) or by scalar code
/// ([SmallOps]) for the few bytes left. The results are bit for bit those of [ScalarPageOps].
///
/// ## Thread safety
/// Stateless; the singleton is [PageEngine#vector()]. All species, constants and shuffles are
/// static finals, nothing is allocated per call once C2 has compiled the loops (before that
/// the Vector API runs in a slow, allocating fallback).
final class VectorPageOps implements PageOps {
    static final VectorPageOps INSTANCE = new VectorPageOps();

    private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;
    /// Bytes per vector (64 with AVX-512); the same for both species.
    private static final int VB = BYTES.vectorByteSize();
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private static final ByteVector ZERO = ByteVector.zero(BYTES);
    /// Lane `k` holds `k * STEP`: the pattern's offsets within one vector.
    private static final LongVector LANE_STEPS = LongVector.fromArray(LONGS, laneSteps(), 0);
    /// The pattern's advance per vector: `lanes * STEP` in every lane.
    private static final LongVector VECTOR_STEP =
            LongVector.broadcast(LONGS, LONGS.length() * PagePattern.STEP);
    /// Byte `i` takes byte `i ^ 2` when `i` is even within its pixel: swaps bytes 0 and 2 of every
    /// 4-byte pixel (one `vpermb` with AVX-512 VBMI).
    private static final VectorShuffle<Byte> SWAP_0_2 = VectorShuffle.fromOp(BYTES, i -> i ^ ((~i & 1) << 1));

    static {
        if (LONGS.vectorByteSize() != VB) {
            throw new ExceptionInInitializerError("preferred byte and long species differ in size");
        }
    }

    private VectorPageOps() {
    }

    /// `k * STEP` for every lane `k`, with scalar multiplies (64-bit vector multiply is slow).
    private static long[] laneSteps() {
        long[] steps = new long[LONGS.length()];
        for (int k = 0; k < steps.length; k++) {
            steps[k] = k * PagePattern.STEP;
        }
        return steps;
    }

    @Override
    public void zero(MemorySegment dst) {
        long n = dst.byteSize();
        if (n < VB) {
            SmallOps.fill64(dst, 0, n, 0L);
            return;
        }
        long last = n - VB;
        for (long i = 0; i < last; i += VB) {
            ZERO.intoMemorySegment(dst, i, LE);
        }
        ZERO.intoMemorySegment(dst, last, LE);
    }

    @Override
    public void fill64(MemorySegment dst, long pattern) {
        long n = dst.byteSize();
        if (n < VB) {
            SmallOps.fill64(dst, 0, n, pattern);
            return;
        }
        ByteVector v = LongVector.broadcast(LONGS, pattern).reinterpretAsBytes();
        long bound = n & -VB; // VB is a power of two
        for (long i = 0; i < bound; i += VB) {
            v.intoMemorySegment(dst, i, LE);
        }
        SmallOps.fill64(dst, bound, n, pattern); // bound is a multiple of 8: the pattern's phase is 0
    }

    @Override
    public void copy(MemorySegment src, MemorySegment dst) {
        PageChecks.sameLength(src, dst);
        // Measured: as fast as a 512-bit ByteVector loop on 4 KiB (both ~memcpy), and simpler.
        MemorySegment.copy(src, 0, dst, 0, src.byteSize());
    }

    @Override
    public long mismatch(MemorySegment a, MemorySegment b) {
        long na = a.byteSize();
        long nb = b.byteSize();
        long n = Math.min(na, nb);
        long i = 0;
        // One compare and one mask test per vector: measured faster than XOR/OR-ing two or four
        // vectors per test (the early exit keeps C2 from unrolling either way).
        for (; i <= n - VB; i += VB) {
            VectorMask<Byte> ne = ByteVector.fromMemorySegment(BYTES, a, i, LE)
                    .compare(VectorOperators.NE, ByteVector.fromMemorySegment(BYTES, b, i, LE));
            if (ne.anyTrue()) {
                return i + ne.firstTrue();
            }
        }
        if (i < n) {
            if (n >= VB) {
                // Bytes before i are equal, so the first difference in [n - VB, n) is the first one.
                long last = n - VB;
                VectorMask<Byte> ne = ByteVector.fromMemorySegment(BYTES, a, last, LE)
                        .compare(VectorOperators.NE, ByteVector.fromMemorySegment(BYTES, b, last, LE));
                if (ne.anyTrue()) {
                    return last + ne.firstTrue();
                }
            } else {
                long at = SmallOps.mismatch(a, b, 0, n);
                if (at >= 0) {
                    return at;
                }
            }
        }
        return na == nb ? -1 : n;
    }

    @Override
    public boolean isZero(MemorySegment s) {
        long n = s.byteSize();
        if (n < VB) {
            return SmallOps.isZero(s, 0, n);
        }
        long i = 0;
        for (; i <= n - 4 * VB; i += 4 * VB) {
            LongVector any = LongVector.fromMemorySegment(LONGS, s, i, LE)
                    .or(LongVector.fromMemorySegment(LONGS, s, i + VB, LE))
                    .or(LongVector.fromMemorySegment(LONGS, s, i + 2 * VB, LE))
                    .or(LongVector.fromMemorySegment(LONGS, s, i + 3 * VB, LE));
            if (any.compare(VectorOperators.NE, 0L).anyTrue()) {
                return false;
            }
        }
        for (; i <= n - VB; i += VB) {
            if (LongVector.fromMemorySegment(LONGS, s, i, LE).compare(VectorOperators.NE, 0L).anyTrue()) {
                return false;
            }
        }
        return i == n
                || !LongVector.fromMemorySegment(LONGS, s, n - VB, LE).compare(VectorOperators.NE, 0L).anyTrue();
    }

    @Override
    public void fillPattern(MemorySegment dst, long seed, long base) {
        PageChecks.patternAligned(dst, base);
        long n = dst.byteSize();
        long w0 = PagePattern.word(seed, base);
        LongVector v = LANE_STEPS.add(w0);
        long i = 0;
        for (; i <= n - VB; i += VB) {
            v.intoMemorySegment(dst, i, LE);
            v = v.add(VECTOR_STEP);
        }
        SmallOps.fillPattern(dst, i, n, w0 + (i >>> 3) * PagePattern.STEP);
    }

    @Override
    public long verifyPattern(MemorySegment s, long seed, long base) {
        PageChecks.patternAligned(s, base);
        long n = s.byteSize();
        long w0 = PagePattern.word(seed, base);
        LongVector want = LANE_STEPS.add(w0);
        long i = 0;
        for (; i <= n - VB; i += VB) {
            LongVector got = LongVector.fromMemorySegment(LONGS, s, i, LE);
            VectorMask<Long> ne = got.compare(VectorOperators.NE, want);
            if (ne.anyTrue()) {
                int lane = ne.firstTrue();
                long diff = got.lane(lane) ^ want.lane(lane);
                return i + 8L * lane + (Long.numberOfTrailingZeros(diff) >>> 3);
            }
            want = want.add(VECTOR_STEP);
        }
        return SmallOps.verifyPattern(s, i, n, w0 + (i >>> 3) * PagePattern.STEP);
    }

    @Override
    public int crc32c(int crc, MemorySegment s) {
        return Crc32cJdk.update(crc, s);
    }

    @Override
    public void swizzleRgbaBgra(MemorySegment src, MemorySegment dst) {
        PageChecks.pixels(src, dst);
        long n = src.byteSize();
        long i = 0;
        for (; i <= n - VB; i += VB) {
            ByteVector.fromMemorySegment(BYTES, src, i, LE).rearrange(SWAP_0_2).intoMemorySegment(dst, i, LE);
        }
        SmallOps.swizzle(src, dst, i, n);
    }

    @Override
    public String toString() {
        return "VectorPageOps[" + BYTES + "]";
    }
}
