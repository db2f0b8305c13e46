package dev.gpuemu.machine.pages;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/// The fast [Tiling]: moves whole contiguous micro-runs instead of single pixels.
///
/// - Mali: [MaliVector] (4x4 blocks built with precomputed two-vector shuffles for 1/2/4 bpp,
///   2x2 "U" quads of 16/32-byte vectors for 8/16 bpp; edge tiles pixel by pixel).
/// - Block-linear: [BlockLinearVector] (16-byte sector rows, one 128-bit load/store each).
///
/// Bit-identical to [ScalarTiling] (the tests compare them on random surfaces).
///
/// ## Thread safety
/// Stateless; the shuffle and offset tables are immutable static finals.
///
/// ## Allocation
/// None per call once compiled (vectors are intrinsified; no slices, no scratch buffers).
final class VectorTiling implements Tiling {
    @Override
    public long maliTiledBytes(SurfaceGeometry g) {
        return MaliLayout.tiledBytes(Objects.requireNonNull(g, "g"));
    }

    @Override
    public void maliTile(MemorySegment linear, MemorySegment tiled, SurfaceGeometry g) {
        Tilings.check(linear, tiled, g, maliTiledBytes(g));
        MaliVector.tile(linear, tiled, g);
    }

    @Override
    public void maliDetile(MemorySegment tiled, MemorySegment linear, SurfaceGeometry g) {
        Tilings.check(linear, tiled, g, maliTiledBytes(g));
        MaliVector.detile(tiled, linear, g);
    }

    @Override
    public long blockLinearBytes(SurfaceGeometry g, int blockHeightLog2) {
        return BlockLinearLayout.tiledBytes(Objects.requireNonNull(g, "g"), blockHeightLog2);
    }

    @Override
    public void blockLinearTile(MemorySegment linear, MemorySegment tiled, SurfaceGeometry g, int blockHeightLog2) {
        Tilings.check(linear, tiled, g, blockLinearBytes(g, blockHeightLog2));
        BlockLinearVector.tile(linear, tiled, g, blockHeightLog2);
    }

    @Override
    public void blockLinearDetile(MemorySegment tiled, MemorySegment linear, SurfaceGeometry g, int blockHeightLog2) {
        Tilings.check(linear, tiled, g, blockLinearBytes(g, blockHeightLog2));
        BlockLinearVector.detile(tiled, linear, g, blockHeightLog2);
    }
}
