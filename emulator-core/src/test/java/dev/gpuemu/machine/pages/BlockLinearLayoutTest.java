package dev.gpuemu.machine.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/// Pins the reference to the documented block-linear layout (docs/PAGE-ENGINE.md): GOB address
/// bits `x5 y2 y1 x4 y0 x3 x2 x1 x0`, blocks of `2^h` GOBs, blocks in raster order.
class BlockLinearLayoutTest {
    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void tearDown() {
        arena.close();
    }

    @Test
    void shouldSwizzleBytesInsideAGobBySectors() {
        assertEquals(0, BlockLinearLayout.gobOffset(0, 0));
        assertEquals(15, BlockLinearLayout.gobOffset(15, 0));
        assertEquals(16, BlockLinearLayout.gobOffset(0, 1));     // y0 -> bit 4: second row of sector 0
        assertEquals(32, BlockLinearLayout.gobOffset(16, 0));    // x4 -> bit 5: sector to the right
        assertEquals(64, BlockLinearLayout.gobOffset(0, 2));     // y1 -> bit 6
        assertEquals(256, BlockLinearLayout.gobOffset(32, 0));   // x5 -> bit 8: right half of the GOB
        // Worked example: (20, 5) = x4, x2 | y2, y0 -> 128 + 32 + 16 + 4.
        assertEquals(180, BlockLinearLayout.gobOffset(20, 5));
        assertEquals(511, BlockLinearLayout.gobOffset(63, 7));
    }

    @Test
    void shouldUseEveryByteOfAGobExactlyOnce() {
        boolean[] seen = new boolean[512];
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 64; x++) {
                int o = BlockLinearLayout.gobOffset(x, y);
                assertFalse(seen[o], "offset " + o + " used twice");
                seen[o] = true;
            }
        }
    }

    @Test
    void shouldPadToWholeBlocksAndStackGobsInsideABlock() {
        // 32 px * 4 B = 128 B = 2 GOB columns; h = 1: blocks of 2 GOBs = 16 rows, 1024 bytes.
        SurfaceGeometry g = SurfaceGeometry.packed(32, 24, 4);
        assertEquals(128L * 32, Tilings.scalar().blockLinearBytes(g, 1));
        assertEquals(128L * 32, Tilings.vector().blockLinearBytes(g, 1));
        assertEquals(64L * 256, Tilings.scalar().blockLinearBytes(SurfaceGeometry.packed(1, 1, 1), 5));
        assertEquals(64L * 8, Tilings.scalar().blockLinearBytes(SurfaceGeometry.packed(16, 8, 4), 0));

        assertPixelLandsAt(g, 1, 16, 0, 1024);              // x byte 64: second block
        assertPixelLandsAt(g, 1, 0, 8, 512);                // second GOB of block 0
        assertPixelLandsAt(g, 1, 0, 16, 2 * 1024);          // second block row
        assertPixelLandsAt(g, 1, 21, 13, 1024 + 512 + 180); // block 1, GOB 1, (20, 5) inside it
        assertPixelLandsAt(g, 0, 21, 13, 3 * 512 + 180);    // h = 0: block = GOB, (1, 1) is block 3
    }

    /// Tiles a surface whose only non-zero pixel is (x, y) and checks where its bytes land.
    private void assertPixelLandsAt(SurfaceGeometry g, int h, int x, int y, long expectedOffset) {
        MemorySegment linear = TilingFixtures.filled(arena, g.linearBytes(), 0);
        int bpp = g.bytesPerPixel();
        for (int b = 0; b < bpp; b++) {
            linear.set(ValueLayout.JAVA_BYTE, TilingFixtures.linearOffset(g, x, y) + b, (byte) (0x80 + b));
        }
        MemorySegment tiled = TilingFixtures.filled(arena, Tilings.scalar().blockLinearBytes(g, h), 0x11);
        Tilings.scalar().blockLinearTile(linear, tiled, g, h);
        for (long i = 0; i < tiled.byteSize(); i++) {
            byte expected = i >= expectedOffset && i < expectedOffset + bpp ? (byte) (0x80 + i - expectedOffset) : 0;
            assertEquals(expected, tiled.get(ValueLayout.JAVA_BYTE, i), "tiled byte " + i);
        }
    }
}
