package dev.gpuemu.machine.pages;

import java.lang.foreign.MemorySegment;

/// Conversions between linear surfaces and the two GPUs' tiled layouts (docs/PAGE-ENGINE.md
/// documents both layouts with their sources). Two implementations: [Tilings#vector()]
/// and [Tilings#scalar()] (the reference); they must agree bit for bit, and detile
/// after tile is the identity on every pixel of the surface.
///
/// Tiled buffers cover whole tiles: a surface whose size is not a multiple of the tile size is
/// padded, and `tiledBytes` says how large the tiled buffer must be. Padding bytes are written
/// as 0 by `tile` and ignored by `detile`.
///
/// ## Thread safety
/// Stateless and thread-safe.
public interface Tiling {
    /// Size of the Mali 16x16 u-interleaved tiled buffer for `g`.
    long maliTiledBytes(SurfaceGeometry g);

    /// Linear -> Mali 16x16 u-interleaved tiles.
    void maliTile(MemorySegment linear, MemorySegment tiled, SurfaceGeometry g);

    /// Mali 16x16 u-interleaved tiles -> linear.
    void maliDetile(MemorySegment tiled, MemorySegment linear, SurfaceGeometry g);

    /// Size of the NVIDIA block-linear buffer for `g` with blocks `2^blockHeightLog2` GOBs tall.
    long blockLinearBytes(SurfaceGeometry g, int blockHeightLog2);

    /// Linear -> NVIDIA block-linear (64-byte x 8-row GOBs, blocks `2^blockHeightLog2` GOBs tall,
    /// `blockHeightLog2` in 0..5).
    void blockLinearTile(MemorySegment linear, MemorySegment tiled, SurfaceGeometry g, int blockHeightLog2);

    /// NVIDIA block-linear -> linear.
    void blockLinearDetile(MemorySegment tiled, MemorySegment linear, SurfaceGeometry g, int blockHeightLog2);
}
