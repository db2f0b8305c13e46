package dev.gpuemu.machine.pages;

/// Address arithmetic of the Arm Mali "16x16 block u-interleaved" layout
/// (`DRM_FORMAT_MOD_ARM_16X16_BLOCK_U_INTERLEAVED`), shared by both [Tiling] implementations.
/// docs/PAGE-ENGINE.md gives the sources and a worked example.
///
/// The surface is padded to whole 16x16-pixel tiles; tiles are stored one after the other in
/// raster order (left to right, then top to bottom), each `256 * bytesPerPixel` bytes. Inside a
/// tile, pixel `(x, y)` (both 0..15) is the element numbered
///
/// ```
/// bit:    7    6        5    4        3    2        1    0
///         y3   x3^y3    y2   x2^y2    y1   x1^y1    y0   x0^y0
/// ```
///
/// so each 2x2 quad is stored as a "U": `(0,0) (1,0) (1,1) (0,1)`, each 4x4 block as four quads,
/// and so on up to the whole tile.
final class MaliLayout {
    /// Tile edge in pixels.
    static final int TILE = 16;
    /// Pixels per tile.
    static final int TILE_PIXELS = TILE * TILE;

    private MaliLayout() {
    }

    /// Element number of pixel `(x, y)` inside its tile (`x`, `y` in 0..15).
    static int index(int x, int y) {
        int xy = x ^ y;
        return (xy & 1) | (y & 1) << 1
                | (xy & 2) << 1 | (y & 2) << 2
                | (xy & 4) << 2 | (y & 4) << 3
                | (xy & 8) << 3 | (y & 8) << 4;
    }

    /// Tiles per tile row of `g`.
    static int tilesX(SurfaceGeometry g) {
        return (g.width() + TILE - 1) / TILE;
    }

    /// Tile rows of `g`.
    static int tilesY(SurfaceGeometry g) {
        return (g.height() + TILE - 1) / TILE;
    }

    /// Bytes of one tile.
    static int tileBytes(SurfaceGeometry g) {
        return TILE_PIXELS * g.bytesPerPixel();
    }

    /// Size of the tiled buffer: whole tiles covering the surface.
    static long tiledBytes(SurfaceGeometry g) {
        return (long) tilesX(g) * tilesY(g) * tileBytes(g);
    }

    /// Byte offset of pixel `(x, y)` of the surface in the tiled buffer.
    static long pixelOffset(SurfaceGeometry g, int x, int y) {
        long tile = (long) (y / TILE) * tilesX(g) + x / TILE;
        return (tile * TILE_PIXELS + index(x % TILE, y % TILE)) * g.bytesPerPixel();
    }
}
