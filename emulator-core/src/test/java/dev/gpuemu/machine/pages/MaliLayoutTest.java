package dev.gpuemu.machine.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/// Pins the reference to the documented Mali 16x16 u-interleaved layout (docs/PAGE-ENGINE.md):
/// positions computed by hand from `y3 (x3^y3) y2 (x2^y2) y1 (x1^y1) y0 (x0^y0)`.
class MaliLayoutTest {
    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void tearDown() {
        arena.close();
    }

    @Test
    void shouldNumberTilePixelsAlongTheUInterleavedCurve() {
        // The first quad is a "U": (0,0) (1,0) (1,1) (0,1).
        assertEquals(0, MaliLayout.index(0, 0));
        assertEquals(1, MaliLayout.index(1, 0));
        assertEquals(2, MaliLayout.index(1, 1));
        assertEquals(3, MaliLayout.index(0, 1));
        assertEquals(4, MaliLayout.index(2, 0));
        // Worked example: (3,1): x^y = 2 -> bit 2; y0 -> bit 1: 0b0000_0110.
        assertEquals(6, MaliLayout.index(3, 1));
        // (15,0): x^y = 15 on the even bits: 0b0101_0101.
        assertEquals(0x55, MaliLayout.index(15, 0));
        // (15,15): x^y = 0, y on the odd bits: 0b1010_1010.
        assertEquals(0xAA, MaliLayout.index(15, 15));
        // (0,15): both: 0b1111_1111, the last element.
        assertEquals(0xFF, MaliLayout.index(0, 15));
    }

    @Test
    void shouldUseEveryElementOfATileExactlyOnce() {
        boolean[] seen = new boolean[256];
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                int i = MaliLayout.index(x, y);
                assertFalse(seen[i], "element " + i + " used twice");
                seen[i] = true;
            }
        }
    }

    @Test
    void shouldStoreTilesInRasterOrderAndPadToWholeTiles() {
        SurfaceGeometry g = SurfaceGeometry.packed(20, 20, 2);
        assertEquals(4 * 256 * 2, Tilings.scalar().maliTiledBytes(g));
        assertEquals(4 * 256 * 2, Tilings.vector().maliTiledBytes(g));
        assertEquals(4096, Tilings.scalar().maliTiledBytes(SurfaceGeometry.packed(1, 1, 16)));
        assertEquals(256 * 4, Tilings.scalar().maliTiledBytes(SurfaceGeometry.packed(16, 16, 4)));

        assertPixelLandsAt(g, 16, 0, 256 * 2);               // tile 1, element 0
        assertPixelLandsAt(g, 0, 16, 2 * 256 * 2);           // tile 2 (second tile row)
        assertPixelLandsAt(g, 17, 17, (3 * 256 + 2) * 2);    // tile 3, element index(1,1) = 2
        assertPixelLandsAt(SurfaceGeometry.packed(16, 16, 4), 3, 1, 6 * 4);
    }

    /// Tiles a surface whose only non-zero pixel is (x, y) and checks where its bytes land.
    private void assertPixelLandsAt(SurfaceGeometry g, int x, int y, long expectedOffset) {
        MemorySegment linear = TilingFixtures.filled(arena, g.linearBytes(), 0);
        int bpp = g.bytesPerPixel();
        for (int b = 0; b < bpp; b++) {
            linear.set(ValueLayout.JAVA_BYTE, TilingFixtures.linearOffset(g, x, y) + b, (byte) (0x80 + b));
        }
        MemorySegment tiled = TilingFixtures.filled(arena, Tilings.scalar().maliTiledBytes(g), 0x11);
        Tilings.scalar().maliTile(linear, tiled, g);
        for (long i = 0; i < tiled.byteSize(); i++) {
            byte expected = i >= expectedOffset && i < expectedOffset + bpp ? (byte) (0x80 + i - expectedOffset) : 0;
            assertEquals(expected, tiled.get(ValueLayout.JAVA_BYTE, i), "tiled byte " + i);
        }
    }
}
