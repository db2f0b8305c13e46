package dev.gpuemu.machine.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gpuemu.machine.pages.PageCases.Slice;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/// The vector implementation agrees bit for bit with the scalar reference for every operation,
/// on every small length, page and ragged multi-page lengths, and every start alignment 0..63.
/// Writes are compared over the whole surrounding buffer, so a store outside the slice fails.
class PageOpsEquivalenceTest {
    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    private static final PageOps VECTOR = PageEngine.vector();
    private static final PageOps SCALAR = PageEngine.scalar();

    private final Arena arena = Arena.ofConfined();
    private final SplittableRandom rnd = new SplittableRandom(0x5EED);

    @AfterEach
    void closeArena() {
        arena.close();
    }

    /// Runs `op` with each implementation on the same slice of two identical random buffers and
    /// asserts the buffers end up identical.
    private void assertSameWrites(int multipleOf, BiConsumer<PageOps, MemorySegment> op) {
        for (Slice sl : PageCases.slices(multipleOf)) {
            MemorySegment v = PageCases.random(arena, rnd);
            MemorySegment s = PageCases.copyOf(arena, v);
            op.accept(VECTOR, sl.of(v));
            op.accept(SCALAR, sl.of(s));
            assertEquals(-1, v.mismatch(s), () -> "buffers differ after " + sl);
        }
    }

    @Test
    void vectorZeroMatchesScalarForEveryLengthAndAlignment() {
        assertSameWrites(1, PageOps::zero);
    }

    @Test
    void vectorFill64MatchesScalarForRandomPatterns() {
        assertSameWrites(1, (ops, seg) -> ops.fill64(seg, 0x0123_4567_89AB_CDEFL ^ seg.byteSize() * 0x9E37L));
        for (int k = 0; k < 50; k++) {
            long pattern = rnd.nextLong();
            int len = rnd.nextInt(600);
            int off = rnd.nextInt(64);
            MemorySegment v = PageCases.random(arena, rnd);
            MemorySegment s = PageCases.copyOf(arena, v);
            VECTOR.fill64(v.asSlice(off, len), pattern);
            SCALAR.fill64(s.asSlice(off, len), pattern);
            assertEquals(-1, v.mismatch(s));
        }
    }

    @Test
    void scalarFill64RepeatsThePatternLittleEndianFromOffsetZero() {
        MemorySegment s = arena.allocate(11);
        SCALAR.fill64(s, 0x0807_0605_0403_0201L);
        byte[] want = {1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3};
        assertEquals(-1, s.mismatch(MemorySegment.ofArray(want)));
    }

    @Test
    void vectorCopyMatchesScalar() {
        MemorySegment src = PageCases.random(arena, rnd);
        assertSameWrites(1, (ops, dst) ->
                ops.copy(src.asSlice(PageCases.BUFFER - dst.byteSize() - 3, dst.byteSize()), dst));
    }

    @Test
    void vectorSwizzleMatchesScalarOutOfPlaceAndInPlace() {
        MemorySegment src = PageCases.random(arena, rnd);
        assertSameWrites(4, (ops, dst) ->
                ops.swizzleRgbaBgra(src.asSlice(PageCases.BUFFER - dst.byteSize() - 1, dst.byteSize()), dst));
        assertSameWrites(4, (ops, seg) -> ops.swizzleRgbaBgra(seg, seg));
    }

    @Test
    void swizzleSwapsBytesZeroAndTwoOfEveryPixel() {
        MemorySegment px = arena.allocate(8);
        px.copyFrom(MemorySegment.ofArray(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        for (PageOps ops : new PageOps[] {VECTOR, SCALAR}) {
            MemorySegment out = arena.allocate(8);
            ops.swizzleRgbaBgra(px, out);
            assertEquals(-1, out.mismatch(MemorySegment.ofArray(new byte[] {3, 2, 1, 4, 7, 6, 5, 8})), ops::toString);
        }
    }

    @Test
    void vectorMismatchFindsEverySingleDifference() {
        for (Slice sl : PageCases.slices(1)) {
            MemorySegment a = sl.of(PageCases.random(arena, rnd));
            MemorySegment b = PageCases.copyOf(arena, a);
            assertMismatch(a, b, -1);
            int n = sl.length();
            if (n == 0) {
                continue;
            }
            int window = rnd.nextInt(Math.max(1, n - 128));
            int[] positions = n <= 300
                    ? new int[] {0, n - 1, rnd.nextInt(n)}
                    : new int[] {0, n - 1, window, window + 127};
            for (int p : positions) {
                flip(b, p);
                assertMismatch(a, b, p);
                flip(b, p);
            }
            if (n > 300) {
                for (int p = window; p < window + 128; p++) { // every position of two vectors
                    flip(b, p);
                    assertMismatch(a, b, p);
                    flip(b, p);
                }
            }
        }
    }

    @Test
    void mismatchOfAPrefixIsTheShorterLength() {
        MemorySegment a = PageCases.random(arena, rnd);
        for (int len : new int[] {0, 5, 64, 100, 4096}) {
            for (PageOps ops : new PageOps[] {VECTOR, SCALAR}) {
                assertEquals(len, ops.mismatch(a.asSlice(0, len), a.asSlice(0, len + 9)), ops::toString);
                assertEquals(len, ops.mismatch(a.asSlice(0, len + 70), a.asSlice(0, len)), ops::toString);
            }
        }
        // Not a prefix: the first difference wins over the length difference.
        MemorySegment b = PageCases.copyOf(arena, a);
        flip(b, 3);
        assertEquals(3, VECTOR.mismatch(a.asSlice(0, 200), b.asSlice(0, 100)));
        assertEquals(3, SCALAR.mismatch(a.asSlice(0, 200), b.asSlice(0, 100)));
    }

    private static void assertMismatch(MemorySegment a, MemorySegment b, long want) {
        assertEquals(want, SCALAR.mismatch(a, b), "scalar");
        assertEquals(want, VECTOR.mismatch(a, b), "vector");
        assertEquals(want, a.mismatch(b), "MemorySegment.mismatch");
    }

    /// Flips bit `at % 8` of byte `at` (a second call restores it).
    private static void flip(MemorySegment s, long at) {
        s.set(BYTE, at, (byte) (s.get(BYTE, at) ^ (1 << (at & 7))));
    }

    @Test
    void vectorIsZeroFindsEverySingleNonZeroByte() {
        for (Slice sl : PageCases.slices(1)) {
            MemorySegment s = sl.of(PageCases.random(arena, rnd));
            s.fill((byte) 0);
            assertEquals(true, VECTOR.isZero(s), sl::toString);
            assertEquals(true, SCALAR.isZero(s), sl::toString);
            int n = sl.length();
            int window = rnd.nextInt(Math.max(1, n - 128));
            for (int p = 0; p < n; p++) {
                if (p == 0 || p == n - 1 || (p >= window && p < window + 128) || n <= 300 && p % 7 == n % 7) {
                    byte v = (byte) (1 << rnd.nextInt(8)); // includes 0x80 (negative)
                    s.set(BYTE, p, v);
                    String where = sl + " nonzero at " + p;
                    assertEquals(false, VECTOR.isZero(s), where);
                    assertEquals(false, SCALAR.isZero(s), where);
                    s.set(BYTE, p, (byte) 0);
                }
            }
        }
    }

    @Test
    void vectorCrc32cMatchesScalarFromAnyStartValue() {
        MemorySegment buf = PageCases.random(arena, rnd);
        for (Slice sl : PageCases.slices(1)) {
            int start = sl.offset() % 3 == 0 ? 0 : rnd.nextInt();
            MemorySegment s = sl.of(buf);
            assertEquals(SCALAR.crc32c(start, s), VECTOR.crc32c(start, s), sl::toString);
        }
    }
}
