package dev.gpuemu.machine.pages;

import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/// Fast Mali u-interleaved tiling ([VectorTiling]'s half for Mali). Whole tiles inside the
/// surface go through one of two kernels; tiles cut by the surface edge go pixel by pixel
/// ([MaliEdge]).
///
/// - **Band kernel** (1, 2 and 4 bytes per pixel): a 4x4-pixel block is 16 consecutive pixels of
///   the tiled buffer (bits 0-3 of the element number hold only the low two bits of x and y). One
///   vector of 16 lanes holds a whole tile row (16 pixels). For each band of 4 tile rows, the
///   kernel loads the 4 rows, builds each of the 4 blocks with two two-vector `rearrange`s and a
///   `blend` (lanes 0-7 come from rows 0-1, lanes 8-15 from rows 2-3), and stores it as one
///   16-lane vector. Detile is the same with the roles swapped. Lane = pixel: bytes for 1 bpp
///   (128-bit), shorts for 2 bpp (256-bit), ints for 4 bpp (512-bit).
/// - **Quad kernel** (8 and 16 bytes per pixel, and any bpp whose band vector is wider than the
///   CPU's preferred shape): a 2x2 quad is 4 consecutive pixels stored as a "U": the top row's
///   2 pixels as they are, then the bottom row's 2 pixels swapped. For 8/16 bpp the top half is
///   one 16/32-byte vector move and the bottom pixels move one by one (8-byte scalars, 16-byte
///   vectors) into swapped places; for 1/2/4 bpp each half is one 2/4/8-byte scalar (the swap
///   is a byte reverse or rotate, [MaliEdge#quadsScalar]).
///
/// Every shuffle, mask and offset table is a static final computed once from
/// [MaliLayout#index]; a call allocates nothing.
final class MaliVector {
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final int PREFERRED_BITS = VectorShape.preferredShape().vectorBitSize();

    private static final VectorSpecies<Byte> B16 = ByteVector.SPECIES_128;
    private static final VectorSpecies<Short> S16 = ShortVector.SPECIES_256;
    private static final VectorSpecies<Integer> I16 = IntVector.SPECIES_512;
    private static final VectorSpecies<Byte> B32 = ByteVector.SPECIES_256;

    /// Whether the band kernel is used for 1, 2 and 4 bytes per pixel on this CPU.
    static final boolean BAND_1 = PREFERRED_BITS >= 128;
    static final boolean BAND_2 = PREFERRED_BITS >= 256;
    static final boolean BAND_4 = PREFERRED_BITS >= 512;

    /// `BLOCK[4 * band + group]`: block number (0..15, 16 pixels each) of the 4x4 block at pixel
    /// `(4 * group, 4 * band)` of a tile.
    private static final int[] BLOCK = new int[16];
    /// `QUAD_X[q]`, `QUAD_Y[q]`: top-left pixel of the q-th 2x2 quad of a tile (elements 4q..4q+3).
    private static final int[] QUAD_X = new int[64];
    private static final int[] QUAD_Y = new int[64];

    private static final VectorShuffle<Byte>[] B_TILE;
    private static final VectorShuffle<Byte>[] B_DETILE;
    private static final VectorShuffle<Short>[] S_TILE;
    private static final VectorShuffle<Short>[] S_DETILE;
    private static final VectorShuffle<Integer>[] I_TILE;
    private static final VectorShuffle<Integer>[] I_DETILE;
    private static final VectorMask<Byte> B_UPPER = VectorMask.fromLong(B16, 0xFF00L);
    private static final VectorMask<Short> S_UPPER = VectorMask.fromLong(S16, 0xFF00L);
    private static final VectorMask<Integer> I_UPPER = VectorMask.fromLong(I16, 0xFF00L);

    static {
        for (int band = 0; band < 4; band++) {
            for (int group = 0; group < 4; group++) {
                BLOCK[4 * band + group] = MaliLayout.index(4 * group, 4 * band) >> 4;
            }
        }
        for (int y = 0; y < MaliLayout.TILE; y += 2) {
            for (int x = 0; x < MaliLayout.TILE; x += 2) {
                int q = MaliLayout.index(x, y) >> 2;
                QUAD_X[q] = x;
                QUAD_Y[q] = y;
            }
        }
        // Tile: block `group`, lane t (element t of the block) <- pixel (xl, yl) of the band,
        // taken from row yl's vector: rows 0/1 feed lanes 0-7, rows 2/3 lanes 8-15, and in each
        // pair the odd row is the second operand (index + 16).
        int[][] tile = new int[4][16];
        // Detile: row yl, lane x <- element t of block x/4; blocks 0/1 feed lanes 0-7, 2/3 lanes
        // 8-15, odd block second operand.
        int[][] detile = new int[4][16];
        for (int yl = 0; yl < 4; yl++) {
            for (int xl = 0; xl < 4; xl++) {
                int t = MaliLayout.index(xl, yl) & 15;
                for (int group = 0; group < 4; group++) {
                    tile[group][t] = (yl & 1) * 16 + 4 * group + xl;
                    detile[yl][4 * group + xl] = (group & 1) * 16 + t;
                }
            }
        }
        B_TILE = shuffles(B16, tile);
        B_DETILE = shuffles(B16, detile);
        S_TILE = shuffles(S16, tile);
        S_DETILE = shuffles(S16, detile);
        I_TILE = shuffles(I16, tile);
        I_DETILE = shuffles(I16, detile);
    }

    private MaliVector() {
    }

    @SuppressWarnings("unchecked")
    private static <E> VectorShuffle<E>[] shuffles(VectorSpecies<E> species, int[][] indexes) {
        VectorShuffle<E>[] out = (VectorShuffle<E>[]) new VectorShuffle<?>[indexes.length];
        for (int i = 0; i < indexes.length; i++) {
            out[i] = VectorShuffle.fromArray(species, indexes[i], 0);
        }
        return out;
    }

    /// Linear -> tiled. Arguments already checked.
    static void tile(MemorySegment linear, MemorySegment tiled, SurfaceGeometry g) {
        walk(linear, tiled, g, true);
    }

    /// Tiled -> linear. Arguments already checked.
    static void detile(MemorySegment tiled, MemorySegment linear, SurfaceGeometry g) {
        walk(linear, tiled, g, false);
    }

    private static void walk(MemorySegment linear, MemorySegment tiled, SurfaceGeometry g, boolean toTiled) {
        int bpp = g.bytesPerPixel();
        long pitch = g.pitch();
        int tilesX = MaliLayout.tilesX(g);
        int tilesY = MaliLayout.tilesY(g);
        int fullX = g.width() / MaliLayout.TILE;
        int fullY = g.height() / MaliLayout.TILE;
        long tileBytes = MaliLayout.tileBytes(g);
        for (int ty = 0; ty < tilesY; ty++) {
            for (int tx = 0; tx < tilesX; tx++) {
                long tileOff = ((long) ty * tilesX + tx) * tileBytes;
                long linOff = (long) ty * MaliLayout.TILE * pitch + (long) tx * MaliLayout.TILE * bpp;
                if (tx < fullX && ty < fullY) {
                    fullTile(linear, linOff, pitch, tiled, tileOff, bpp, toTiled);
                } else {
                    int w = Math.min(MaliLayout.TILE, g.width() - tx * MaliLayout.TILE);
                    int h = Math.min(MaliLayout.TILE, g.height() - ty * MaliLayout.TILE);
                    MaliEdge.partialTile(linear, linOff, pitch, tiled, tileOff, bpp, w, h, toTiled);
                }
            }
        }
    }

    private static void fullTile(MemorySegment lin, long linOff, long pitch, MemorySegment tiled, long tileOff,
                                 int bpp, boolean toTiled) {
        switch (bpp) {
            case 1 -> {
                if (BAND_1) {
                    if (toTiled) bandTile1(lin, linOff, pitch, tiled, tileOff); else bandDetile1(lin, linOff, pitch, tiled, tileOff);
                } else {
                    MaliEdge.quadsScalar(lin, linOff, pitch, tiled, tileOff, 1, toTiled);
                }
            }
            case 2 -> {
                if (BAND_2) {
                    if (toTiled) bandTile2(lin, linOff, pitch, tiled, tileOff); else bandDetile2(lin, linOff, pitch, tiled, tileOff);
                } else {
                    MaliEdge.quadsScalar(lin, linOff, pitch, tiled, tileOff, 2, toTiled);
                }
            }
            case 4 -> {
                if (BAND_4) {
                    if (toTiled) bandTile4(lin, linOff, pitch, tiled, tileOff); else bandDetile4(lin, linOff, pitch, tiled, tileOff);
                } else {
                    MaliEdge.quadsScalar(lin, linOff, pitch, tiled, tileOff, 4, toTiled);
                }
            }
            case 8 -> quads8(lin, linOff, pitch, tiled, tileOff, toTiled);
            default -> quads16(lin, linOff, pitch, tiled, tileOff, toTiled);
        }
    }

    // ---- band kernels: lane = pixel, 16 lanes = one tile row or one 4x4 block ----

    private static void bandTile1(MemorySegment lin, long linOff, long pitch, MemorySegment tiled, long tileOff) {
        for (int band = 0; band < 4; band++) {
            long row = linOff + 4L * band * pitch;
            ByteVector r0 = ByteVector.fromMemorySegment(B16, lin, row, ORDER);
            ByteVector r1 = ByteVector.fromMemorySegment(B16, lin, row + pitch, ORDER);
            ByteVector r2 = ByteVector.fromMemorySegment(B16, lin, row + 2 * pitch, ORDER);
            ByteVector r3 = ByteVector.fromMemorySegment(B16, lin, row + 3 * pitch, ORDER);
            for (int group = 0; group < 4; group++) {
                VectorShuffle<Byte> s = B_TILE[group];
                r0.rearrange(s, r1).blend(r2.rearrange(s, r3), B_UPPER)
                        .intoMemorySegment(tiled, tileOff + BLOCK[4 * band + group] * 16L, ORDER);
            }
        }
    }

    private static void bandDetile1(MemorySegment lin, long linOff, long pitch, MemorySegment tiled, long tileOff) {
        for (int band = 0; band < 4; band++) {
            int b = 4 * band;
            ByteVector k0 = ByteVector.fromMemorySegment(B16, tiled, tileOff + BLOCK[b] * 16L, ORDER);
            ByteVector k1 = ByteVector.fromMemorySegment(B16, tiled, tileOff + BLOCK[b + 1] * 16L, ORDER);
            ByteVector k2 = ByteVector.fromMemorySegment(B16, tiled, tileOff + BLOCK[b + 2] * 16L, ORDER);
            ByteVector k3 = ByteVector.fromMemorySegment(B16, tiled, tileOff + BLOCK[b + 3] * 16L, ORDER);
            long row = linOff + 4L * band * pitch;
            for (int yl = 0; yl < 4; yl++) {
                VectorShuffle<Byte> s = B_DETILE[yl];
                k0.rearrange(s, k1).blend(k2.rearrange(s, k3), B_UPPER).intoMemorySegment(lin, row + yl * pitch, ORDER);
            }
        }
    }

    private static void bandTile2(MemorySegment lin, long linOff, long pitch, MemorySegment tiled, long tileOff) {
        for (int band = 0; band < 4; band++) {
            long row = linOff + 4L * band * pitch;
            ShortVector r0 = ShortVector.fromMemorySegment(S16, lin, row, ORDER);
            ShortVector r1 = ShortVector.fromMemorySegment(S16, lin, row + pitch, ORDER);
            ShortVector r2 = ShortVector.fromMemorySegment(S16, lin, row + 2 * pitch, ORDER);
            ShortVector r3 = ShortVector.fromMemorySegment(S16, lin, row + 3 * pitch, ORDER);
            for (int group = 0; group < 4; group++) {
                VectorShuffle<Short> s = S_TILE[group];
                r0.rearrange(s, r1).blend(r2.rearrange(s, r3), S_UPPER)
                        .intoMemorySegment(tiled, tileOff + BLOCK[4 * band + group] * 32L, ORDER);
            }
        }
    }

    private static void bandDetile2(MemorySegment lin, long linOff, long pitch, MemorySegment tiled, long tileOff) {
        for (int band = 0; band < 4; band++) {
            int b = 4 * band;
            ShortVector k0 = ShortVector.fromMemorySegment(S16, tiled, tileOff + BLOCK[b] * 32L, ORDER);
            ShortVector k1 = ShortVector.fromMemorySegment(S16, tiled, tileOff + BLOCK[b + 1] * 32L, ORDER);
            ShortVector k2 = ShortVector.fromMemorySegment(S16, tiled, tileOff + BLOCK[b + 2] * 32L, ORDER);
            ShortVector k3 = ShortVector.fromMemorySegment(S16, tiled, tileOff + BLOCK[b + 3] * 32L, ORDER);
            long row = linOff + 4L * band * pitch;
            for (int yl = 0; yl < 4; yl++) {
                VectorShuffle<Short> s = S_DETILE[yl];
                k0.rearrange(s, k1).blend(k2.rearrange(s, k3), S_UPPER).intoMemorySegment(lin, row + yl * pitch, ORDER);
            }
        }
    }

    private static void bandTile4(MemorySegment lin, long linOff, long pitch, MemorySegment tiled, long tileOff) {
        for (int band = 0; band < 4; band++) {
            long row = linOff + 4L * band * pitch;
            IntVector r0 = IntVector.fromMemorySegment(I16, lin, row, ORDER);
            IntVector r1 = IntVector.fromMemorySegment(I16, lin, row + pitch, ORDER);
            IntVector r2 = IntVector.fromMemorySegment(I16, lin, row + 2 * pitch, ORDER);
            IntVector r3 = IntVector.fromMemorySegment(I16, lin, row + 3 * pitch, ORDER);
            for (int group = 0; group < 4; group++) {
                VectorShuffle<Integer> s = I_TILE[group];
                r0.rearrange(s, r1).blend(r2.rearrange(s, r3), I_UPPER)
                        .intoMemorySegment(tiled, tileOff + BLOCK[4 * band + group] * 64L, ORDER);
            }
        }
    }

    private static void bandDetile4(MemorySegment lin, long linOff, long pitch, MemorySegment tiled, long tileOff) {
        for (int band = 0; band < 4; band++) {
            int b = 4 * band;
            IntVector k0 = IntVector.fromMemorySegment(I16, tiled, tileOff + BLOCK[b] * 64L, ORDER);
            IntVector k1 = IntVector.fromMemorySegment(I16, tiled, tileOff + BLOCK[b + 1] * 64L, ORDER);
            IntVector k2 = IntVector.fromMemorySegment(I16, tiled, tileOff + BLOCK[b + 2] * 64L, ORDER);
            IntVector k3 = IntVector.fromMemorySegment(I16, tiled, tileOff + BLOCK[b + 3] * 64L, ORDER);
            long row = linOff + 4L * band * pitch;
            for (int yl = 0; yl < 4; yl++) {
                VectorShuffle<Integer> s = I_DETILE[yl];
                k0.rearrange(s, k1).blend(k2.rearrange(s, k3), I_UPPER).intoMemorySegment(lin, row + yl * pitch, ORDER);
            }
        }
    }

    // ---- quad kernels for 8 and 16 bytes per pixel: top half as is, bottom half swapped ----
    // The swap is done by moving the two bottom pixels separately (8-byte scalars or 16-byte
    // vectors): cheaper than a lane rearrange, which C2 does not intrinsify for every shape.

    private static void quads8(MemorySegment lin, long linOff, long pitch, MemorySegment tiled, long tileOff,
                               boolean toTiled) {
        if (toTiled) {
            for (int q = 0; q < 64; q++) {
                long top = linOff + QUAD_Y[q] * pitch + QUAD_X[q] * 8L;
                long bottom = top + pitch;
                long t = tileOff + q * 32L;
                ByteVector.fromMemorySegment(B16, lin, top, ORDER).intoMemorySegment(tiled, t, ORDER);
                tiled.set(JAVA_LONG_UNALIGNED, t + 16, lin.get(JAVA_LONG_UNALIGNED, bottom + 8));
                tiled.set(JAVA_LONG_UNALIGNED, t + 24, lin.get(JAVA_LONG_UNALIGNED, bottom));
            }
        } else {
            for (int q = 0; q < 64; q++) {
                long top = linOff + QUAD_Y[q] * pitch + QUAD_X[q] * 8L;
                long bottom = top + pitch;
                long t = tileOff + q * 32L;
                ByteVector.fromMemorySegment(B16, tiled, t, ORDER).intoMemorySegment(lin, top, ORDER);
                lin.set(JAVA_LONG_UNALIGNED, bottom + 8, tiled.get(JAVA_LONG_UNALIGNED, t + 16));
                lin.set(JAVA_LONG_UNALIGNED, bottom, tiled.get(JAVA_LONG_UNALIGNED, t + 24));
            }
        }
    }

    private static void quads16(MemorySegment lin, long linOff, long pitch, MemorySegment tiled, long tileOff,
                                boolean toTiled) {
        if (toTiled) {
            for (int q = 0; q < 64; q++) {
                long top = linOff + QUAD_Y[q] * pitch + QUAD_X[q] * 16L;
                long bottom = top + pitch;
                long t = tileOff + q * 64L;
                ByteVector.fromMemorySegment(B32, lin, top, ORDER).intoMemorySegment(tiled, t, ORDER);
                ByteVector.fromMemorySegment(B16, lin, bottom + 16, ORDER).intoMemorySegment(tiled, t + 32, ORDER);
                ByteVector.fromMemorySegment(B16, lin, bottom, ORDER).intoMemorySegment(tiled, t + 48, ORDER);
            }
        } else {
            for (int q = 0; q < 64; q++) {
                long top = linOff + QUAD_Y[q] * pitch + QUAD_X[q] * 16L;
                long bottom = top + pitch;
                long t = tileOff + q * 64L;
                ByteVector.fromMemorySegment(B32, tiled, t, ORDER).intoMemorySegment(lin, top, ORDER);
                ByteVector.fromMemorySegment(B16, tiled, t + 32, ORDER).intoMemorySegment(lin, bottom + 16, ORDER);
                ByteVector.fromMemorySegment(B16, tiled, t + 48, ORDER).intoMemorySegment(lin, bottom, ORDER);
            }
        }
    }

    /// Top-left pixel x of quad `q` (for [MaliEdge]).
    static int quadX(int q) {
        return QUAD_X[q];
    }

    /// Top-left pixel y of quad `q` (for [MaliEdge]).
    static int quadY(int q) {
        return QUAD_Y[q];
    }
}
