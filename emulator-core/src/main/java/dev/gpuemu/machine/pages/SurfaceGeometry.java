package dev.gpuemu.machine.pages;

/// A 2-D surface for tiling: `width` x `height` pixels of `bytesPerPixel` bytes, stored linearly
/// with `pitch` bytes per row.
///
/// @param width          pixels per row (> 0)
/// @param height         rows (> 0)
/// @param bytesPerPixel  1, 2, 4, 8 or 16
/// @param pitch          bytes per linear row, at least `width * bytesPerPixel`
public record SurfaceGeometry(int width, int height, int bytesPerPixel, int pitch) {
    public SurfaceGeometry {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("surface must not be empty: " + width + "x" + height);
        }
        if (Integer.bitCount(bytesPerPixel) != 1 || bytesPerPixel > 16) {
            throw new IllegalArgumentException("bytes per pixel must be 1, 2, 4, 8 or 16: " + bytesPerPixel);
        }
        if ((long) width * bytesPerPixel > pitch) {
            throw new IllegalArgumentException("pitch " + pitch + " shorter than a row of " + width * bytesPerPixel);
        }
    }

    /// A surface with a tight pitch.
    public static SurfaceGeometry packed(int width, int height, int bytesPerPixel) {
        return new SurfaceGeometry(width, height, bytesPerPixel, width * bytesPerPixel);
    }

    /// Bytes a linear copy of the surface occupies (`pitch * height`).
    public long linearBytes() {
        return (long) pitch * height;
    }
}
