package dev.gpuemu.machine.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/// CRC32C: the written-out scalar reference meets the published check values; the vector
/// implementation (JDK intrinsic plus the resume trick) matches the reference and
/// `java.util.zip.CRC32C`; both chain.
class Crc32cOpsTest {
    private static final PageOps VECTOR = PageEngine.vector();
    private static final PageOps SCALAR = PageEngine.scalar();

    private final Arena arena = Arena.ofConfined();
    private final SplittableRandom rnd = new SplittableRandom(0xC5C);

    @AfterEach
    void closeArena() {
        arena.close();
    }

    private MemorySegment native_(byte[] bytes) {
        MemorySegment s = arena.allocate(Math.max(1, bytes.length)).asSlice(0, bytes.length);
        s.copyFrom(MemorySegment.ofArray(bytes));
        return s;
    }

    private static int jdk(byte[] bytes) {
        CRC32C c = new CRC32C();
        c.update(bytes);
        return (int) c.getValue();
    }

    @Test
    void scalarReferenceMeetsPublishedCheckValues() {
        byte[] zeros = new byte[32];
        byte[] ones = new byte[32];
        byte[] up = new byte[32];
        byte[] down = new byte[32];
        for (int i = 0; i < 32; i++) {
            ones[i] = (byte) 0xFF;
            up[i] = (byte) i;
            down[i] = (byte) (31 - i);
        }
        byte[] check = "123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int[][] cases = {{0xE306_9283}, {0x8A91_36AA}, {0x62A8_AB43}, {0x46DD_794E}, {0x113F_DB5C}};
        byte[][] inputs = {check, zeros, ones, up, down}; // "123456789", then RFC 3720 B.4
        for (int k = 0; k < inputs.length; k++) {
            assertEquals(cases[k][0], SCALAR.crc32c(0, native_(inputs[k])), "case " + k);
            assertEquals(cases[k][0], jdk(inputs[k]), "JDK case " + k);
            assertEquals(cases[k][0], VECTOR.crc32c(0, native_(inputs[k])), "vector case " + k);
        }
        assertEquals(0, SCALAR.crc32c(0, native_(new byte[0])));
        assertEquals(0, VECTOR.crc32c(0, native_(new byte[0])));
    }

    @Test
    void vectorMatchesScalarAndJdkOnRandomData() {
        for (int k = 0; k < 400; k++) {
            int len = k < 300 ? k : rnd.nextInt(3 * 4096 + 100);
            byte[] bytes = new byte[len];
            rnd.nextBytes(bytes);
            MemorySegment s = native_(bytes);
            int want = jdk(bytes);
            assertEquals(want, SCALAR.crc32c(0, s), "scalar len " + len);
            assertEquals(want, VECTOR.crc32c(0, s), "vector len " + len);
        }
    }

    @Test
    void crcChainsOverConcatenation() {
        byte[] all = new byte[2 * 4096 + 33];
        rnd.nextBytes(all);
        MemorySegment s = native_(all);
        int whole = jdk(all);
        for (int k = 0; k < 200; k++) {
            int cut = k < 70 ? k : rnd.nextInt(all.length + 1);
            MemorySegment a = s.asSlice(0, cut);
            MemorySegment b = s.asSlice(cut);
            for (PageOps ops : new PageOps[] {VECTOR, SCALAR}) {
                assertEquals(whole, ops.crc32c(ops.crc32c(0, a), b), () -> ops + " cut at " + cut);
            }
        }
    }

    @Test
    void vectorResumesFromAnyCrcValue() {
        MemorySegment s = native_(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        int[] starts = {0, -1, 1, 0x8000_0000, 0xE306_9283, 0x7FFF_FFFF};
        for (int start : starts) {
            assertEquals(SCALAR.crc32c(start, s), VECTOR.crc32c(start, s), "start " + Integer.toHexString(start));
            assertEquals(SCALAR.crc32c(start, s.asSlice(0, 0)), VECTOR.crc32c(start, s.asSlice(0, 0)));
            assertEquals(start, VECTOR.crc32c(start, s.asSlice(0, 0)), "empty data keeps the value");
        }
        for (int k = 0; k < 2000; k++) {
            int start = rnd.nextInt();
            MemorySegment part = s.asSlice(0, rnd.nextInt(10));
            assertEquals(SCALAR.crc32c(start, part), VECTOR.crc32c(start, part));
        }
    }

    @Test
    void resumeBytesSteerAResetRegisterToTheWantedValue() {
        for (int k = 0; k < 1000; k++) {
            int crc = k == 0 ? 0 : rnd.nextInt();
            int x = Crc32cTable.resumeBytes(crc);
            int reg = 0xFFFF_FFFF;
            for (int b = 0; b < 4; b++) {
                reg = Crc32cTable.step(reg, x >>> (8 * b));
            }
            assertEquals(~crc, reg);
            int r = rnd.nextInt();
            assertEquals(r, Crc32cTable.step(Crc32cTable.unshiftZeroByte(r), 0));
        }
    }
}
