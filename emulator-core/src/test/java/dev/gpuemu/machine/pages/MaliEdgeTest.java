package dev.gpuemu.machine.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/// The scalar quad kernel (used instead of the band kernel when the CPU's vectors are narrower
/// than a tile row, so not reached through [Tilings#vector()] on an AVX-512 machine) matches the
/// reference on whole tiles, both ways.
class MaliEdgeTest {
    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void tearDown() {
        arena.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void shouldMatchReferenceWithScalarQuadKernel(int bpp) {
        SplittableRandom rnd = new SplittableRandom(bpp);
        SurfaceGeometry g = new SurfaceGeometry(32, 32, bpp, 32 * bpp + 5);
        MemorySegment linear = TilingFixtures.randomSegment(arena, rnd, g.linearBytes());
        MemorySegment expected = arena.allocate(MaliLayout.tiledBytes(g));
        Tilings.scalar().maliTile(linear, expected, g);

        MemorySegment actual = arena.allocate(MaliLayout.tiledBytes(g));
        forEachTile(g, (linOff, tileOff) -> MaliEdge.quadsScalar(linear, linOff, g.pitch(), actual, tileOff, bpp, true));
        assertEquals(-1, expected.mismatch(actual), "tile");

        MemorySegment back = TilingFixtures.filled(arena, g.linearBytes(), 0x3C);
        MemorySegment reference = TilingFixtures.filled(arena, g.linearBytes(), 0x3C);
        forEachTile(g, (linOff, tileOff) -> MaliEdge.quadsScalar(back, linOff, g.pitch(), expected, tileOff, bpp, false));
        Tilings.scalar().maliDetile(expected, reference, g);
        assertEquals(-1, reference.mismatch(back), "detile");
    }

    private interface TileVisitor {
        void visit(long linOff, long tileOff);
    }

    private static void forEachTile(SurfaceGeometry g, TileVisitor v) {
        for (int ty = 0; ty < MaliLayout.tilesY(g); ty++) {
            for (int tx = 0; tx < MaliLayout.tilesX(g); tx++) {
                v.visit((long) ty * 16 * g.pitch() + (long) tx * 16 * g.bytesPerPixel(),
                        ((long) ty * MaliLayout.tilesX(g) + tx) * MaliLayout.tileBytes(g));
            }
        }
    }
}
