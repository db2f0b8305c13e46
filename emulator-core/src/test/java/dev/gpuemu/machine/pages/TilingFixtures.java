package dev.gpuemu.machine.pages;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

/// Shared helpers of the tiling tests: random surfaces and buffers.
final class TilingFixtures {
    static final int[] BPPS = {1, 2, 4, 8, 16};

    private TilingFixtures() {
    }

    /// A random surface: 1..maxSide pixels each way, random bpp, pitch = row bytes + 0..40.
    static SurfaceGeometry randomGeometry(SplittableRandom rnd, int maxSide) {
        int bpp = BPPS[rnd.nextInt(BPPS.length)];
        int w = 1 + rnd.nextInt(maxSide);
        int h = 1 + rnd.nextInt(maxSide);
        int extra = rnd.nextBoolean() ? 0 : 1 + rnd.nextInt(40);
        return new SurfaceGeometry(w, h, bpp, w * bpp + extra);
    }

    /// A native segment of `size` random bytes.
    static MemorySegment randomSegment(Arena arena, SplittableRandom rnd, long size) {
        MemorySegment s = arena.allocate(Math.max(size, 1));
        for (long i = 0; i < s.byteSize(); i++) {
            s.set(ValueLayout.JAVA_BYTE, i, (byte) rnd.nextInt());
        }
        return s;
    }

    /// A native segment of `size` bytes all equal to `value`.
    static MemorySegment filled(Arena arena, long size, int value) {
        MemorySegment s = arena.allocate(Math.max(size, 1));
        s.fill((byte) value);
        return s;
    }

    /// Byte `i` of row `y`, pixel `x` of a linear surface.
    static long linearOffset(SurfaceGeometry g, int x, int y) {
        return (long) y * g.pitch() + (long) x * g.bytesPerPixel();
    }
}
