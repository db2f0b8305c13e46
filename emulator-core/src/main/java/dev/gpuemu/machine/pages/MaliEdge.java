package dev.gpuemu.machine.pages;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemorySegment;

/// The slow paths of [MaliVector]: tiles cut by the surface edge (pixel by pixel, padding
/// cleared first) and the scalar quad kernel used when the CPU's vectors are too narrow for the
/// band kernel.
final class MaliEdge {
    private MaliEdge() {
    }

    /// One tile of which only the top-left `w` x `h` pixels are in the surface. Tile: clears the
    /// whole tile, then copies the pixels present. Detile: copies the pixels present.
    static void partialTile(MemorySegment lin, long linOff, long pitch, MemorySegment tiled, long tileOff,
                            int bpp, int w, int h, boolean toTiled) {
        if (toTiled) {
            long end = tileOff + (long) MaliLayout.TILE_PIXELS * bpp;
            for (long off = tileOff; off < end; off += 8) {
                tiled.set(JAVA_LONG_UNALIGNED, off, 0L);
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                long l = linOff + y * pitch + (long) x * bpp;
                long t = tileOff + (long) MaliLayout.index(x, y) * bpp;
                if (toTiled) {
                    pixel(lin, l, tiled, t, bpp);
                } else {
                    pixel(tiled, t, lin, l, bpp);
                }
            }
        }
    }

    /// Copies one pixel of `bpp` bytes.
    private static void pixel(MemorySegment src, long from, MemorySegment dst, long to, int bpp) {
        switch (bpp) {
            case 1 -> dst.set(JAVA_BYTE, to, src.get(JAVA_BYTE, from));
            case 2 -> dst.set(JAVA_SHORT_UNALIGNED, to, src.get(JAVA_SHORT_UNALIGNED, from));
            case 4 -> dst.set(JAVA_INT_UNALIGNED, to, src.get(JAVA_INT_UNALIGNED, from));
            case 8 -> dst.set(JAVA_LONG_UNALIGNED, to, src.get(JAVA_LONG_UNALIGNED, from));
            default -> {
                dst.set(JAVA_LONG_UNALIGNED, to, src.get(JAVA_LONG_UNALIGNED, from));
                dst.set(JAVA_LONG_UNALIGNED, to + 8, src.get(JAVA_LONG_UNALIGNED, from + 8));
            }
        }
    }

    /// A whole tile at 1, 2 or 4 bytes per pixel, one 2x2 quad at a time: the top half-quad is
    /// one 2/4/8-byte scalar copied as is, the bottom one is read as one scalar and its two
    /// pixels swapped (byte reverse for 1 bpp, rotate by half for 2 and 4 bpp). Swapping two
    /// equal halves is independent of byte order, and is its own inverse.
    static void quadsScalar(MemorySegment lin, long linOff, long pitch, MemorySegment tiled, long tileOff,
                            int bpp, boolean toTiled) {
        int quadBytes = 4 * bpp;
        for (int q = 0; q < 64; q++) {
            long top = linOff + MaliVector.quadY(q) * pitch + (long) MaliVector.quadX(q) * bpp;
            long bottom = top + pitch;
            long t = tileOff + (long) q * quadBytes;
            long half = t + 2L * bpp;
            switch (bpp) {
                case 1 -> {
                    if (toTiled) {
                        tiled.set(JAVA_SHORT_UNALIGNED, t, lin.get(JAVA_SHORT_UNALIGNED, top));
                        tiled.set(JAVA_SHORT_UNALIGNED, half, Short.reverseBytes(lin.get(JAVA_SHORT_UNALIGNED, bottom)));
                    } else {
                        lin.set(JAVA_SHORT_UNALIGNED, top, tiled.get(JAVA_SHORT_UNALIGNED, t));
                        lin.set(JAVA_SHORT_UNALIGNED, bottom, Short.reverseBytes(tiled.get(JAVA_SHORT_UNALIGNED, half)));
                    }
                }
                case 2 -> {
                    if (toTiled) {
                        tiled.set(JAVA_INT_UNALIGNED, t, lin.get(JAVA_INT_UNALIGNED, top));
                        tiled.set(JAVA_INT_UNALIGNED, half, Integer.rotateLeft(lin.get(JAVA_INT_UNALIGNED, bottom), 16));
                    } else {
                        lin.set(JAVA_INT_UNALIGNED, top, tiled.get(JAVA_INT_UNALIGNED, t));
                        lin.set(JAVA_INT_UNALIGNED, bottom, Integer.rotateLeft(tiled.get(JAVA_INT_UNALIGNED, half), 16));
                    }
                }
                default -> {
                    if (toTiled) {
                        tiled.set(JAVA_LONG_UNALIGNED, t, lin.get(JAVA_LONG_UNALIGNED, top));
                        tiled.set(JAVA_LONG_UNALIGNED, half, Long.rotateLeft(lin.get(JAVA_LONG_UNALIGNED, bottom), 32));
                    } else {
                        lin.set(JAVA_LONG_UNALIGNED, top, tiled.get(JAVA_LONG_UNALIGNED, t));
                        lin.set(JAVA_LONG_UNALIGNED, bottom, Long.rotateLeft(tiled.get(JAVA_LONG_UNALIGNED, half), 32));
                    }
                }
            }
        }
    }
}
