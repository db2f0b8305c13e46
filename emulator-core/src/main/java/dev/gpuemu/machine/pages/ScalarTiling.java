package dev.gpuemu.machine.pages;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/// The reference [Tiling]: for every pixel, compute its address in both layouts
/// ([MaliLayout#pixelOffset], [BlockLinearLayout#byteOffset]) and copy `bytesPerPixel` bytes.
/// `tile` first clears the whole tiled region so that padding reads as 0.
///
/// Written to be obviously correct, not fast.
///
/// ## Thread safety
/// Stateless.
final class ScalarTiling implements Tiling {
    @Override
    public long maliTiledBytes(SurfaceGeometry g) {
        return MaliLayout.tiledBytes(Objects.requireNonNull(g, "g"));
    }

    @Override
    public void maliTile(MemorySegment linear, MemorySegment tiled, SurfaceGeometry g) {
        long size = maliTiledBytes(g);
        Tilings.check(linear, tiled, g, size);
        tiled.asSlice(0, size).fill((byte) 0);
        int bpp = g.bytesPerPixel();
        for (int y = 0; y < g.height(); y++) {
            for (int x = 0; x < g.width(); x++) {
                MemorySegment.copy(linear, linearOffset(g, x, y), tiled, MaliLayout.pixelOffset(g, x, y), bpp);
            }
        }
    }

    @Override
    public void maliDetile(MemorySegment tiled, MemorySegment linear, SurfaceGeometry g) {
        Tilings.check(linear, tiled, g, maliTiledBytes(g));
        int bpp = g.bytesPerPixel();
        for (int y = 0; y < g.height(); y++) {
            for (int x = 0; x < g.width(); x++) {
                MemorySegment.copy(tiled, MaliLayout.pixelOffset(g, x, y), linear, linearOffset(g, x, y), bpp);
            }
        }
    }

    @Override
    public long blockLinearBytes(SurfaceGeometry g, int blockHeightLog2) {
        return BlockLinearLayout.tiledBytes(Objects.requireNonNull(g, "g"), blockHeightLog2);
    }

    @Override
    public void blockLinearTile(MemorySegment linear, MemorySegment tiled, SurfaceGeometry g, int blockHeightLog2) {
        long size = blockLinearBytes(g, blockHeightLog2);
        Tilings.check(linear, tiled, g, size);
        tiled.asSlice(0, size).fill((byte) 0);
        int bpp = g.bytesPerPixel();
        for (int y = 0; y < g.height(); y++) {
            for (int x = 0; x < g.width(); x++) {
                long to = BlockLinearLayout.byteOffset(g, blockHeightLog2, (long) x * bpp, y);
                MemorySegment.copy(linear, linearOffset(g, x, y), tiled, to, bpp);
            }
        }
    }

    @Override
    public void blockLinearDetile(MemorySegment tiled, MemorySegment linear, SurfaceGeometry g, int blockHeightLog2) {
        Tilings.check(linear, tiled, g, blockLinearBytes(g, blockHeightLog2));
        int bpp = g.bytesPerPixel();
        for (int y = 0; y < g.height(); y++) {
            for (int x = 0; x < g.width(); x++) {
                long from = BlockLinearLayout.byteOffset(g, blockHeightLog2, (long) x * bpp, y);
                MemorySegment.copy(tiled, from, linear, linearOffset(g, x, y), bpp);
            }
        }
    }

    private static long linearOffset(SurfaceGeometry g, int x, int y) {
        return (long) y * g.pitch() + (long) x * g.bytesPerPixel();
    }
}
