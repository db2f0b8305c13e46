package dev.gpuemu.machine.pages;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorSpecies;

/// Fast block-linear tiling ([VectorTiling]'s half for NVIDIA). Inside a GOB, 16 consecutive
/// bytes of a row stay together (address bits 0-3 are x bits 0-3), so a surface row is moved as
/// 16-byte chunks: one 128-bit load and one 128-bit store each, at the chunk's precomputed GOB
/// offset ([BlockLinearLayout#CHUNK_OFFSET]). Rows go in pairs (an even row and the next): the
/// two rows' 16-byte chunks at the same x are adjacent in the GOB (address bit 4 is y bit 0),
/// so a pair fills whole 64-byte lines of the tiled buffer, written in address order.
///
/// Tile writes every byte of the padded buffer exactly once: chunks cut by the row end are
/// read with a masked load (missing bytes 0), chunks beyond the row end and rows beyond the
/// surface height are stored as zero vectors. Detile writes only the pixels' bytes (partial
/// chunks through [MemorySegment#copy]). Allocates nothing.
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
        long pitch = g.pitch();
        for (int y = 0; y < rows; y += 2) {
            long t = BlockLinearLayout.rowStart(g, h, 0, y);
            int gx = 0;
            if (y + 1 < g.height()) {
                // Both rows present: each pair of sectors is one whole 64-byte run of the GOB.
                long l = (long) y * pitch;
                for (; gx < fullGobs; gx++, t += gobStride, l += BlockLinearLayout.GOB_WIDTH) {
                    load(linear, l).intoMemorySegment(tiled, t, ORDER);
                    load(linear, l + pitch).intoMemorySegment(tiled, t + 16, ORDER);
                    load(linear, l + 16).intoMemorySegment(tiled, t + C1, ORDER);
                    load(linear, l + pitch + 16).intoMemorySegment(tiled, t + C1 + 16, ORDER);
                    load(linear, l + 32).intoMemorySegment(tiled, t + C2, ORDER);
                    load(linear, l + pitch + 32).intoMemorySegment(tiled, t + C2 + 16, ORDER);
                    load(linear, l + 48).intoMemorySegment(tiled, t + C3, ORDER);
                    load(linear, l + pitch + 48).intoMemorySegment(tiled, t + C3 + 16, ORDER);
                }
            }
            // Edge GOB column, a last odd row, rows of padding: chunk by chunk, zero-filled.
            for (; gx < gobsX; gx++, t += gobStride) {
                for (int c = 0; c < 4; c++) {
                    long to = t + BlockLinearLayout.CHUNK_OFFSET[c];
                    int xb = gx * BlockLinearLayout.GOB_WIDTH + c * BlockLinearLayout.CHUNK;
                    edgeChunk(linear, g, rowBytes, y, xb).intoMemorySegment(tiled, to, ORDER);
                    edgeChunk(linear, g, rowBytes, y + 1, xb).intoMemorySegment(tiled, to + 16, ORDER);
                }
            }
        }
    }

    private static ByteVector load(MemorySegment s, long offset) {
        return ByteVector.fromMemorySegment(B16, s, offset, ORDER);
    }

    /// The 16 bytes at `xb` of surface row `y`, bytes beyond the row or the surface read as 0.
    private static ByteVector edgeChunk(MemorySegment linear, SurfaceGeometry g, int rowBytes, int y, int xb) {
        int n = Math.clamp(rowBytes - (long) xb, 0, BlockLinearLayout.CHUNK);
        if (y >= g.height() || n == 0) {
            return ZERO;
        }
        long l = (long) y * g.pitch() + xb;
        return ByteVector.fromMemorySegment(B16, linear, l, ORDER, B16.indexInRange(0, n));
    }

    /// Block-linear -> linear. Arguments already checked. Writes only the `width * bpp` bytes of
    /// each row.
    static void detile(MemorySegment tiled, MemorySegment linear, SurfaceGeometry g, int h) {
        int rowBytes = g.width() * g.bytesPerPixel();
        int fullGobs = rowBytes / BlockLinearLayout.GOB_WIDTH;
        int gobsX = BlockLinearLayout.gobsX(g);
        long gobStride = (long) BlockLinearLayout.GOB_BYTES << h;
        long pitch = g.pitch();
        for (int y = 0; y < g.height(); y += 2) {
            long t = BlockLinearLayout.rowStart(g, h, 0, y);
            long l = (long) y * pitch;
            int gx = 0;
            if (y + 1 < g.height()) {
                for (; gx < fullGobs; gx++, t += gobStride, l += BlockLinearLayout.GOB_WIDTH) {
                    load(tiled, t).intoMemorySegment(linear, l, ORDER);
                    load(tiled, t + 16).intoMemorySegment(linear, l + pitch, ORDER);
                    load(tiled, t + C1).intoMemorySegment(linear, l + 16, ORDER);
                    load(tiled, t + C1 + 16).intoMemorySegment(linear, l + pitch + 16, ORDER);
                    load(tiled, t + C2).intoMemorySegment(linear, l + 32, ORDER);
                    load(tiled, t + C2 + 16).intoMemorySegment(linear, l + pitch + 32, ORDER);
                    load(tiled, t + C3).intoMemorySegment(linear, l + 48, ORDER);
                    load(tiled, t + C3 + 16).intoMemorySegment(linear, l + pitch + 48, ORDER);
                }
            }
            for (; gx < gobsX; gx++, t += gobStride, l += BlockLinearLayout.GOB_WIDTH) {
                for (int c = 0; c < 4; c++) {
                    long from = t + BlockLinearLayout.CHUNK_OFFSET[c];
                    int n = Math.clamp(rowBytes - (long) gx * BlockLinearLayout.GOB_WIDTH - c * 16L, 0, 16);
                    if (n > 0) {
                        MemorySegment.copy(tiled, from, linear, l + c * 16L, n);
                        if (y + 1 < g.height()) {
                            MemorySegment.copy(tiled, from + 16, linear, l + pitch + c * 16L, n);
                        }
                    }
                }
            }
        }
    }
}
