package dev.gpuemu.machine.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.machine.pages.PageCases.Slice;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/// `fillPattern` / `verifyPattern`: both implementations write the words [PagePattern] defines,
/// verify what they fill, locate any corruption at exactly its byte, tell addresses and seeds
/// apart, and produce the same bytes however a region is split into calls.
class PagePatternOpsTest {
    private static final PageOps VECTOR = PageEngine.vector();
    private static final PageOps SCALAR = PageEngine.scalar();
    private static final PageOps[] BOTH = {VECTOR, SCALAR};
    private static final ValueLayout.OfLong LONG_LE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Arena arena = Arena.ofConfined();
    private final SplittableRandom rnd = new SplittableRandom(0xFACE);

    @AfterEach
    void closeArena() {
        arena.close();
    }

    private long randomBase() {
        return rnd.nextLong() & ~7L; // any 8-aligned address, including the top half
    }

    @Test
    void fillWritesPagePatternWordsAndVerifyAcceptsThem() {
        for (Slice sl : PageCases.slices(8)) {
            long seed = rnd.nextLong();
            long base = randomBase();
            MemorySegment v = PageCases.random(arena, rnd);
            MemorySegment s = PageCases.copyOf(arena, v);
            VECTOR.fillPattern(sl.of(v), seed, base);
            SCALAR.fillPattern(sl.of(s), seed, base);
            assertEquals(-1, v.mismatch(s), sl::toString);
            for (long i = 0; i < sl.length(); i += 8) {
                assertEquals(PagePattern.word(seed, base + i), sl.of(v).get(LONG_LE, i));
            }
            for (PageOps ops : BOTH) {
                assertEquals(-1, ops.verifyPattern(sl.of(v), seed, base), () -> ops + " " + sl);
            }
        }
    }

    @Test
    void everyFlippedBitIsFoundAtExactlyItsByte() {
        MemorySegment page = arena.allocate(4096 + 8, 64).asSlice(8, 4096); // unaligned to the vector
        long seed = 42;
        long base = 0x1_2345_6000L;
        VECTOR.fillPattern(page, seed, base);
        for (int at = 0; at < 4096; at++) {
            for (int bit = at % 8; bit < 8; bit += at < 64 ? 1 : 8) { // every bit of the first 64 bytes
                flip(page, at, bit);
                for (PageOps ops : BOTH) {
                    assertEquals(at, ops.verifyPattern(page, seed, base), ops + " bit " + bit);
                }
                flip(page, at, bit);
            }
        }
        MemorySegment big = arena.allocate(PageCases.RAGGED - PageCases.RAGGED % 8);
        SCALAR.fillPattern(big, seed, base);
        for (int k = 0; k < 300; k++) {
            int at = k < 100 ? (int) big.byteSize() - 1 - k : rnd.nextInt((int) big.byteSize());
            int bit = rnd.nextInt(8);
            flip(big, at, bit);
            assertEquals(at, VECTOR.verifyPattern(big, seed, base));
            assertEquals(at, SCALAR.verifyPattern(big, seed, base));
            flip(big, at, bit);
        }
    }

    private static void flip(MemorySegment s, long at, int bit) {
        s.set(ValueLayout.JAVA_BYTE, at, (byte) (s.get(ValueLayout.JAVA_BYTE, at) ^ (1 << bit)));
    }

    @Test
    void aPageFilledForOneAddressFailsVerificationAtAnother() {
        MemorySegment page = arena.allocate(4096, 64);
        for (int k = 0; k < 100; k++) {
            long a = randomBase();
            long b = k == 0 ? a + 4096 : randomBase();
            long seed = rnd.nextLong();
            VECTOR.fillPattern(page, seed, a);
            for (PageOps ops : BOTH) {
                long at = ops.verifyPattern(page, seed, b);
                assertTrue(at >= 0 && at < 8, () -> ops + " found the wrong page only at " + at);
                assertTrue(ops.verifyPattern(page, seed + 1, a) >= 0, "another seed must not verify");
            }
        }
    }

    @Test
    void splittingARegionIntoChunksGivesTheSameBytes() {
        int n = 3 * 4096 + 64;
        MemorySegment whole = arena.allocate(n, 64);
        MemorySegment pieces = arena.allocate(n, 64);
        for (PageOps ops : BOTH) {
            for (int round = 0; round < 20; round++) {
                long seed = rnd.nextLong();
                long base = randomBase();
                ops.fillPattern(whole, seed, base);
                pieces.fill((byte) 0x5A);
                int off = 0;
                while (off < n) {
                    int len = Math.min(n - off, 8 * rnd.nextInt(round < 10 ? 40 : 600));
                    ops.fillPattern(pieces.asSlice(off, len), seed, base + off);
                    assertEquals(-1, ops.verifyPattern(whole.asSlice(off, len), seed, base + off));
                    off += len;
                }
                assertEquals(-1, whole.mismatch(pieces), ops::toString);
            }
        }
    }

    @Test
    void patternWithUnalignedBaseOrLengthIsAnEmulatorBug() {
        MemorySegment s = arena.allocate(64);
        for (PageOps ops : BOTH) {
            assertThrows(IllegalArgumentException.class, () -> ops.fillPattern(s, 1, 4));
            assertThrows(IllegalArgumentException.class, () -> ops.fillPattern(s.asSlice(0, 60), 1, 0));
            assertThrows(IllegalArgumentException.class, () -> ops.verifyPattern(s, 1, 0x1001));
            assertThrows(IllegalArgumentException.class, () -> ops.verifyPattern(s.asSlice(0, 12), 1, 0));
        }
    }

    @Test
    void patternWordsDependOnSeedAndAddress() {
        assertNotEquals(PagePattern.word(1, 0), PagePattern.word(2, 0));
        assertNotEquals(PagePattern.word(1, 0), PagePattern.word(1, 8));
        assertEquals(PagePattern.word(1, 0) + PagePattern.STEP, PagePattern.word(1, 8));
    }
}
