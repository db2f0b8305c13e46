package dev.gpuemu.machine.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/// The vector implementation is bit-identical to the scalar reference: same tiled bytes
/// (padding included) and same linear bytes (pitch padding included) from the same inputs,
/// on random surfaces and on a few large tile-aligned ones that exercise only the fast kernels.
class TilingEquivalenceTest {
    private static final int CASES = 200;
    private static final int TAIL = 40;

    private final Arena arena = Arena.ofConfined();
    private final Tiling scalar = Tilings.scalar();
    private final Tiling vector = Tilings.vector();

    @AfterEach
    void tearDown() {
        arena.close();
    }

    @Test
    void shouldMatchScalarMaliTileAndDetileOnRandomSurfaces() {
        SplittableRandom rnd = new SplittableRandom(0x1234_5678L);
        for (int i = 0; i < CASES; i++) {
            checkMali(rnd, TilingFixtures.randomGeometry(rnd, 70));
        }
    }

    @Test
    void shouldMatchScalarBlockLinearTileAndDetileOnRandomSurfaces() {
        SplittableRandom rnd = new SplittableRandom(0x8765_4321L);
        for (int i = 0; i < CASES; i++) {
            checkBlockLinear(rnd, TilingFixtures.randomGeometry(rnd, 70), rnd.nextInt(6));
        }
    }

    @Test
    void shouldMatchScalarOnLargeTileAlignedSurfacesWithOddPitches() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int bpp : TilingFixtures.BPPS) {
            for (int pitchExtra : new int[] {0, 3}) {
                SurfaceGeometry g = new SurfaceGeometry(64, 48, bpp, 64 * bpp + pitchExtra);
                checkMali(rnd, g);
                checkBlockLinear(rnd, g, rnd.nextInt(6));
            }
        }
    }

    private void checkMali(SplittableRandom rnd, SurfaceGeometry g) {
        long size = scalar.maliTiledBytes(g);
        MemorySegment linear = TilingFixtures.randomSegment(arena, rnd, g.linearBytes());
        MemorySegment a = TilingFixtures.filled(arena, size + TAIL, 0x5C);
        MemorySegment b = TilingFixtures.filled(arena, size + TAIL, 0x5C);
        scalar.maliTile(linear, a, g);
        vector.maliTile(linear, b, g);
        assertEquals(-1, a.mismatch(b), () -> "Mali tile of " + g);

        MemorySegment tiled = TilingFixtures.randomSegment(arena, rnd, size);
        MemorySegment la = TilingFixtures.filled(arena, g.linearBytes(), 0x3C);
        MemorySegment lb = TilingFixtures.filled(arena, g.linearBytes(), 0x3C);
        scalar.maliDetile(tiled, la, g);
        vector.maliDetile(tiled, lb, g);
        assertEquals(-1, la.mismatch(lb), () -> "Mali detile of " + g);
    }

    private void checkBlockLinear(SplittableRandom rnd, SurfaceGeometry g, int h) {
        long size = scalar.blockLinearBytes(g, h);
        MemorySegment linear = TilingFixtures.randomSegment(arena, rnd, g.linearBytes());
        MemorySegment a = TilingFixtures.filled(arena, size + TAIL, 0x5C);
        MemorySegment b = TilingFixtures.filled(arena, size + TAIL, 0x5C);
        scalar.blockLinearTile(linear, a, g, h);
        vector.blockLinearTile(linear, b, g, h);
        assertEquals(-1, a.mismatch(b), () -> "block-linear tile of " + g + " h=" + h);

        MemorySegment tiled = TilingFixtures.randomSegment(arena, rnd, size);
        MemorySegment la = TilingFixtures.filled(arena, g.linearBytes(), 0x3C);
        MemorySegment lb = TilingFixtures.filled(arena, g.linearBytes(), 0x3C);
        scalar.blockLinearDetile(tiled, la, g, h);
        vector.blockLinearDetile(tiled, lb, g, h);
        assertEquals(-1, la.mismatch(lb), () -> "block-linear detile of " + g + " h=" + h);
    }
}
