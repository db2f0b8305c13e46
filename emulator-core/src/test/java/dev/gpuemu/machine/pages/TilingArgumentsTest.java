package dev.gpuemu.machine.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/// Bad calls are refused with IllegalArgumentException before any byte is written: tiled buffer
/// one byte short, linear buffer shorter than `pitch * height`, block height out of 0..5.
class TilingArgumentsTest {
    private static final SurfaceGeometry G = new SurfaceGeometry(20, 10, 4, 100);

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
    void shouldRejectATiledBufferOneByteShort(String name) {
        Tiling t = impl(name);
        MemorySegment linear = arena.allocate(G.linearBytes());
        MemorySegment mali = TilingFixtures.filled(arena, t.maliTiledBytes(G) - 1, 0x77);
        MemorySegment nv = TilingFixtures.filled(arena, t.blockLinearBytes(G, 2) - 1, 0x77);
        assertThrows(IllegalArgumentException.class, () -> t.maliTile(linear, mali, G));
        assertThrows(IllegalArgumentException.class, () -> t.maliDetile(mali, linear, G));
        assertThrows(IllegalArgumentException.class, () -> t.blockLinearTile(linear, nv, G, 2));
        assertThrows(IllegalArgumentException.class, () -> t.blockLinearDetile(nv, linear, G, 2));
        assertEquals(-1, mali.mismatch(TilingFixtures.filled(arena, mali.byteSize(), 0x77)), "written before refusing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void shouldRejectALinearBufferShorterThanPitchTimesHeight(String name) {
        Tiling t = impl(name);
        // Enough for every pixel (the last row needs only 80 bytes), not for pitch * height.
        MemorySegment linear = TilingFixtures.filled(arena, G.linearBytes() - 20, 0x77);
        MemorySegment mali = arena.allocate(t.maliTiledBytes(G));
        MemorySegment nv = arena.allocate(t.blockLinearBytes(G, 0));
        assertThrows(IllegalArgumentException.class, () -> t.maliTile(linear, mali, G));
        assertThrows(IllegalArgumentException.class, () -> t.maliDetile(mali, linear, G));
        assertThrows(IllegalArgumentException.class, () -> t.blockLinearTile(linear, nv, G, 0));
        assertThrows(IllegalArgumentException.class, () -> t.blockLinearDetile(nv, linear, G, 0));
        assertEquals(-1, linear.mismatch(TilingFixtures.filled(arena, linear.byteSize(), 0x77)), "written before refusing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void shouldRejectBlockHeightsOutsideZeroToFive(String name) {
        Tiling t = impl(name);
        MemorySegment linear = arena.allocate(G.linearBytes());
        MemorySegment big = arena.allocate(1 << 20);
        for (int h : new int[] {-1, 6, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            assertThrows(IllegalArgumentException.class, () -> t.blockLinearBytes(G, h));
            assertThrows(IllegalArgumentException.class, () -> t.blockLinearTile(linear, big, G, h));
            assertThrows(IllegalArgumentException.class, () -> t.blockLinearDetile(big, linear, G, h));
        }
    }
}
