package dev.gpuemu.machine.pages;

/// Address arithmetic of NVIDIA's 2-D block-linear layout (Fermi and later: 64-byte x 8-row GOBs),
/// shared by both [Tiling] implementations. docs/PAGE-ENGINE.md gives the sources and a worked
/// example.
///
/// - A GOB is 64 bytes x 8 rows = 512 bytes, made of 16-byte x 2-row sectors. Byte `(xb, y)` of a
///   GOB (`xb` in 0..63, `y` in 0..7) is at
///   `(xb/32)*256 + (y/2)*64 + ((xb%32)/16)*32 + (y%2)*16 + xb%16`, i.e. address bits
///   `b8..b0 = x5 y2 y1 x4 y0 x3 x2 x1 x0`.
/// - A block is one GOB wide and `2^h` GOBs tall (`h = blockHeightLog2`, 0..5), GOBs stored top to
///   bottom: `512 << h` bytes.
/// - Blocks are stored left to right, then top to bottom. The surface is padded to whole blocks:
///   the row length in bytes up to a multiple of 64, the height up to a multiple of `8 << h`.
final class BlockLinearLayout {
    /// GOB width in bytes.
    static final int GOB_WIDTH = 64;
    /// GOB height in rows.
    static final int GOB_HEIGHT = 8;
    /// GOB size in bytes.
    static final int GOB_BYTES = GOB_WIDTH * GOB_HEIGHT;
    /// Largest supported `blockHeightLog2` (32 GOBs).
    static final int MAX_BLOCK_HEIGHT_LOG2 = 5;
    /// Sector width in bytes: the unit that stays contiguous.
    static final int CHUNK = 16;
    /// GOB offset of the 16-byte chunk `c` (0..3, left to right) of GOB row 0.
    static final int[] CHUNK_OFFSET = {0, 32, 256, 288};

    private BlockLinearLayout() {
    }

    /// Offset of byte `(xb, y)` inside a GOB (`xb` in 0..63, `y` in 0..7).
    static int gobOffset(int xb, int y) {
        return (xb >> 5) << 8 | (y >> 1) << 6 | ((xb >> 4) & 1) << 5 | (y & 1) << 4 | (xb & 15);
    }

    /// GOB offset of the 16-byte chunk starting at row `y` of a GOB, chunk 0.
    static int rowOffset(int y) {
        return (y >> 1) << 6 | (y & 1) << 4;
    }

    /// Checks `blockHeightLog2`.
    static void checkBlockHeight(int blockHeightLog2) {
        if (blockHeightLog2 < 0 || blockHeightLog2 > MAX_BLOCK_HEIGHT_LOG2) {
            throw new IllegalArgumentException("blockHeightLog2 must be 0.." + MAX_BLOCK_HEIGHT_LOG2
                    + ": " + blockHeightLog2);
        }
    }

    /// GOB columns: row bytes rounded up to 64, divided by 64.
    static int gobsX(SurfaceGeometry g) {
        long rowBytes = (long) g.width() * g.bytesPerPixel();
        return (int) ((rowBytes + GOB_WIDTH - 1) / GOB_WIDTH);
    }

    /// Rows of the padded surface: height rounded up to whole blocks.
    static long paddedRows(SurfaceGeometry g, int blockHeightLog2) {
        long blockRows = (long) GOB_HEIGHT << blockHeightLog2;
        return (g.height() + blockRows - 1) / blockRows * blockRows;
    }

    /// Size of the block-linear buffer.
    static long tiledBytes(SurfaceGeometry g, int blockHeightLog2) {
        checkBlockHeight(blockHeightLog2);
        return (long) gobsX(g) * GOB_WIDTH * paddedRows(g, blockHeightLog2);
    }

    /// Offset of the start of GOB row `y` (the byte at `xb = 0`) of GOB column `gx` in the buffer.
    static long rowStart(SurfaceGeometry g, int blockHeightLog2, int gx, int y) {
        long blockBytes = (long) GOB_BYTES << blockHeightLog2;
        long blockY = y >>> (3 + blockHeightLog2);
        int gobInBlock = (y >>> 3) & ((1 << blockHeightLog2) - 1);
        return (blockY * gobsX(g) + gx) * blockBytes + (long) gobInBlock * GOB_BYTES + rowOffset(y & 7);
    }

    /// Offset of byte `xb` of surface row `y` in the buffer.
    static long byteOffset(SurfaceGeometry g, int blockHeightLog2, long xb, int y) {
        int gx = (int) (xb / GOB_WIDTH);
        int inGob = (int) (xb % GOB_WIDTH);
        return rowStart(g, blockHeightLog2, gx, y) - rowOffset(y & 7) + gobOffset(inGob, y & 7);
    }
}
