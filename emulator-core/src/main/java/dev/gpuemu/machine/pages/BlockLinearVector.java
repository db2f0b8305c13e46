package dev.gpuemu.machine.pages;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorSpecies;

/// Fast block-linear tiling ([VectorTiling]'s half for NVIDIA). Inside a GOB, 16 consecutive
/// bytes of a row stay together (address bits 0-3 are x bits 0-3), so a surface row is moved as
/// 16-byte chunks: one 128-bit load and one 128-bit store each, at the chunk's precomputed GOB
/// offset ([BlockLinearLayout#CHUNK_OFFSET]). Only the chunk cut by the end of a row goes
/// through [MemorySegment#copy]. Tile writes every byte of the padded buffer exactly once:
/// chunks beyond the row end and rows beyond the surface height are stored as zero vectors.
///
/// Rows are walked in linear order (sequential reads on tile, sequential writes on detile); each
/// row touches one 64-byte GOB row per GOB column. Allocates nothing.
final class BlockLinearVector {
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final VectorSpecies<Byte> B16 = ByteVector.SPECIES_128;
    private static final ByteVector ZERO = ByteVector.zero(B16);
    private static final int C1 = BlockLinearLayout.CHUNK_OFFSET[1];
    private static final int C2 = BlockLinearLayout.CHUNK_OFFSET[2];
    private static final int C3 = BlockLinearLayout.CHUNK_OFFSET[3];

    private BlockLinearVector() {
    }

    /// Linear -> block-linear. Arguments already checked.
    static void tile(MemorySegment linear, MemorySegment tiled, SurfaceGeometry g, int h) {
        int rowBytes = g.width() * g.bytesPerPixel();
        int fullGobs = rowBytes / BlockLinearLayout.GOB_WIDTH;
        int gobsX = BlockLinearLayout.gobsX(g);
        long gobStride = (long) BlockLinearLayout.GOB_BYTES << h;
        long rows = BlockLinearLayout.paddedRows(g, h);
        for (int y = 0; y < rows; y++) {
            long t = BlockLinearLayout.rowStart(g, h, 0, y);
            if (y >= g.height()) {
                for (int gx = 0; gx < gobsX; gx++, t += gobStride) {
                    ZERO.intoMemorySegment(tiled, t, ORDER);
                    ZERO.intoMemorySegment(tiled, t + C1, ORDER);
                    ZERO.intoMemorySegment(tiled, t + C2, ORDER);
                    ZERO.intoMemorySegment(tiled, t + C3, ORDER);
                }
                continue;
            }
            long l = (long) y * g.pitch();
            for (int gx = 0; gx < fullGobs; gx++, t += gobStride, l += BlockLinearLayout.GOB_WIDTH) {
                ByteVector.fromMemorySegment(B16, linear, l, ORDER).intoMemorySegment(tiled, t, ORDER);
                ByteVector.fromMemorySegment(B16, linear, l + 16, ORDER).intoMemorySegment(tiled, t + C1, ORDER);
                ByteVector.fromMemorySegment(B16, linear, l + 32, ORDER).intoMemorySegment(tiled, t + C2, ORDER);
                ByteVector.fromMemorySegment(B16, linear, l + 48, ORDER).intoMemorySegment(tiled, t + C3, ORDER);
            }
            if (fullGobs < gobsX) {
                int left = rowBytes - fullGobs * BlockLinearLayout.GOB_WIDTH;
                for (int c = 0; c < 4; c++) {
                    long to = t + BlockLinearLayout.CHUNK_OFFSET[c];
                    int n = Math.clamp(left - c * 16L, 0, 16);
                    if (n == 16) {
                        ByteVector.fromMemorySegment(B16, linear, l + c * 16L, ORDER).intoMemorySegment(tiled, to, ORDER);
                    } else {
                        ZERO.intoMemorySegment(tiled, to, ORDER);
                        if (n > 0) {
                            MemorySegment.copy(linear, l + c * 16L, tiled, to, n);
                        }
                    }
                }
            }
        }
    }

    /// Block-linear -> linear. Arguments already checked. Writes only the `width * bpp` bytes of
    /// each row.
    static void detile(MemorySegment tiled, MemorySegment linear, SurfaceGeometry g, int h) {
        int rowBytes = g.width() * g.bytesPerPixel();
        int fullGobs = rowBytes / BlockLinearLayout.GOB_WIDTH;
        int gobsX = BlockLinearLayout.gobsX(g);
        long gobStride = (long) BlockLinearLayout.GOB_BYTES << h;
        for (int y = 0; y < g.height(); y++) {
            long t = BlockLinearLayout.rowStart(g, h, 0, y);
            long l = (long) y * g.pitch();
            for (int gx = 0; gx < fullGobs; gx++, t += gobStride, l += BlockLinearLayout.GOB_WIDTH) {
                ByteVector.fromMemorySegment(B16, tiled, t, ORDER).intoMemorySegment(linear, l, ORDER);
                ByteVector.fromMemorySegment(B16, tiled, t + C1, ORDER).intoMemorySegment(linear, l + 16, ORDER);
                ByteVector.fromMemorySegment(B16, tiled, t + C2, ORDER).intoMemorySegment(linear, l + 32, ORDER);
                ByteVector.fromMemorySegment(B16, tiled, t + C3, ORDER).intoMemorySegment(linear, l + 48, ORDER);
            }
            if (fullGobs < gobsX) {
                int left = rowBytes - fullGobs * BlockLinearLayout.GOB_WIDTH;
                for (int c = 0; c < 4; c++) {
                    int n = Math.clamp(left - c * 16L, 0, 16);
                    long from = t + BlockLinearLayout.CHUNK_OFFSET[c];
                    if (n == 16) {
                        ByteVector.fromMemorySegment(B16, tiled, from, ORDER).intoMemorySegment(linear, l + c * 16L, ORDER);
                    } else if (n > 0) {
                        MemorySegment.copy(tiled, from, linear, l + c * 16L, n);
                    }
                }
            }
        }
    }
}
