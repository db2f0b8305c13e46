package dev.gpuemu.machine.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/// Both implementations, random surfaces (1..70 px each way, every bpp, pitch padding, every
/// block height): detile after tile restores every pixel and leaves the linear pitch padding
/// alone; tile writes exactly the pixels' bytes, 0 in all padding, nothing past the layout's size.
class TilingRoundTripTest {
    private static final int CASES = 150;
    private static final int GARBAGE = 0xA5;
    private static final int TAIL = 48;

    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void tearDown() {
        arena.close();
    }

    private static Tiling impl(String name) {
        return name.equals("vector") ? Tilings.vector() : Tilings.scalar();
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void shouldRestoreEveryPixelAfterMaliTileThenDetile(String name) {
        Tiling t = impl(name);
        SplittableRandom rnd = new SplittableRandom(0x6D616C69L);
        for (int i = 0; i < CASES; i++) {
            SurfaceGeometry g = TilingFixtures.randomGeometry(rnd, 70);
            MemorySegment linear = TilingFixtures.randomSegment(arena, rnd, g.linearBytes());
            MemorySegment tiled = TilingFixtures.filled(arena, t.maliTiledBytes(g) + TAIL, GARBAGE);
            t.maliTile(linear, tiled, g);
            assertTail(tiled, t.maliTiledBytes(g), g);
            MemorySegment back = TilingFixtures.filled(arena, g.linearBytes(), GARBAGE);
            t.maliDetile(tiled, back, g);
            assertPixelsRestored(linear, back, g);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void shouldRestoreEveryPixelAfterBlockLinearTileThenDetile(String name) {
        Tiling t = impl(name);
        SplittableRandom rnd = new SplittableRandom(0x4E56L);
        for (int i = 0; i < CASES; i++) {
            SurfaceGeometry g = TilingFixtures.randomGeometry(rnd, 70);
            int h = rnd.nextInt(6);
            MemorySegment linear = TilingFixtures.randomSegment(arena, rnd, g.linearBytes());
            MemorySegment tiled = TilingFixtures.filled(arena, t.blockLinearBytes(g, h) + TAIL, GARBAGE);
            t.blockLinearTile(linear, tiled, g, h);
            assertTail(tiled, t.blockLinearBytes(g, h), g);
            MemorySegment back = TilingFixtures.filled(arena, g.linearBytes(), GARBAGE);
            t.blockLinearDetile(tiled, back, g, h);
            assertPixelsRestored(linear, back, g);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void shouldWriteOnlyPixelBytesAndZeroPaddingWhenTiling(String name) {
        Tiling t = impl(name);
        SplittableRandom rnd = new SplittableRandom(0x5A44L);
        for (int i = 0; i < CASES; i++) {
            SurfaceGeometry g = TilingFixtures.randomGeometry(rnd, 70);
            int h = rnd.nextInt(6);
            // Every pixel byte 0xFF: after tiling, exactly w*h*bpp bytes are 0xFF and the rest 0.
            MemorySegment linear = TilingFixtures.filled(arena, g.linearBytes(), 0xFF);
            long pixelBytes = (long) g.width() * g.height() * g.bytesPerPixel();

            MemorySegment mali = TilingFixtures.filled(arena, t.maliTiledBytes(g), GARBAGE);
            t.maliTile(linear, mali, g);
            assertOnlyPixelsAndZeros(mali, pixelBytes, g);

            MemorySegment nv = TilingFixtures.filled(arena, t.blockLinearBytes(g, h), GARBAGE);
            t.blockLinearTile(linear, nv, g, h);
            assertOnlyPixelsAndZeros(nv, pixelBytes, g);
        }
    }

    private static void assertOnlyPixelsAndZeros(MemorySegment tiled, long pixelBytes, SurfaceGeometry g) {
        long ones = 0;
        for (long i = 0; i < tiled.byteSize(); i++) {
            byte b = tiled.get(ValueLayout.JAVA_BYTE, i);
            if (b == (byte) 0xFF) {
                ones++;
            } else {
                assertEquals(0, b, "padding byte " + i + " of " + g);
            }
        }
        assertEquals(pixelBytes, ones, "pixel bytes of " + g);
    }

    private static void assertTail(MemorySegment tiled, long size, SurfaceGeometry g) {
        for (long i = size; i < tiled.byteSize(); i++) {
            assertEquals((byte) GARBAGE, tiled.get(ValueLayout.JAVA_BYTE, i), "byte past the layout, " + g);
        }
    }

    private static void assertPixelsRestored(MemorySegment original, MemorySegment back, SurfaceGeometry g) {
        long rowBytes = (long) g.width() * g.bytesPerPixel();
        for (int y = 0; y < g.height(); y++) {
            for (long x = 0; x < g.pitch(); x++) {
                long o = (long) y * g.pitch() + x;
                byte expected = x < rowBytes ? original.get(ValueLayout.JAVA_BYTE, o) : (byte) GARBAGE;
                if (expected != back.get(ValueLayout.JAVA_BYTE, o)) {
                    assertEquals(expected, back.get(ValueLayout.JAVA_BYTE, o),
                            "row " + y + " byte " + x + " of " + g);
                }
            }
        }
    }
}
