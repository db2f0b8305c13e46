package dev.gpuemu.machine.pages;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/// The two [Tiling] implementations: [#vector()] for use, [#scalar()] as the reference the tests
/// hold it to. Both are stateless singletons.
///
/// ## Thread safety
/// Both instances are stateless and may be shared by any number of threads.
public final class Tilings {
    private static final Tiling VECTOR = new VectorTiling();
    private static final Tiling SCALAR = new ScalarTiling();

    private Tilings() {
    }

    /// The fast implementation: whole 16-byte (or wider) chunks, Vector API shuffles.
    public static Tiling vector() {
        return VECTOR;
    }

    /// The reference implementation: per-pixel address arithmetic.
    public static Tiling scalar() {
        return SCALAR;
    }

    /// Checks the arguments shared by every tile/detile call: non-null, a linear segment of at
    /// least `pitch * height` bytes and a tiled segment of at least `tiledBytes`.
    static void check(MemorySegment linear, MemorySegment tiled, SurfaceGeometry g, long tiledBytes) {
        Objects.requireNonNull(linear, "linear");
        Objects.requireNonNull(tiled, "tiled");
        if (linear.byteSize() < g.linearBytes()) {
            throw new IllegalArgumentException("linear buffer of " + linear.byteSize()
                    + " bytes is smaller than pitch * height = " + g.linearBytes());
        }
        if (tiled.byteSize() < tiledBytes) {
            throw new IllegalArgumentException("tiled buffer of " + tiled.byteSize()
                    + " bytes is smaller than the " + tiledBytes + " the layout needs");
        }
    }
}
