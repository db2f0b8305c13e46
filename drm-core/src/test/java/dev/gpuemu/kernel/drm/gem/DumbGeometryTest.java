package dev.gpuemu.kernel.drm.gem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.uapi.Errno;
import org.junit.jupiter.api.Test;

class DumbGeometryTest {

    @Test
    void shouldComputePitchAndPageAlignedSize() throws Exception {
        assertEquals(new DumbGeometry(4 * 1920, 8_294_400), DumbGeometry.of(1920, 1080, 32), "1080p XRGB: exact pages");
        assertEquals(new DumbGeometry(3 * 100, 32 * 1024), DumbGeometry.of(100, 100, 24), "30000 bytes -> 8 pages");
        assertEquals(new DumbGeometry(13, 4096), DumbGeometry.of(100, 1, 1), "ceil(100 * 1 / 8)");
        assertEquals(new DumbGeometry(2, 4096), DumbGeometry.of(1, 1, 12), "ceil(12 / 8)");
    }

    @Test
    void shouldKeepLargerCallerHintsAndRaiseSmallerOnes() throws Exception {
        assertEquals(new DumbGeometry(512, 64 * 1024), DumbGeometry.of(100, 10, 32, 512, 64 * 1024));
        assertEquals(new DumbGeometry(400, 4096), DumbGeometry.of(100, 10, 32, 256, 100), "too small: minimum");
        assertEquals(new DumbGeometry(400, 4096), DumbGeometry.of(100, 10, 32, 0, 9999), "one hint zero: ignored");
    }

    @Test
    void shouldRejectZeroAndOverflowingValuesWithEinval() {
        int[][] bad = {
            {0, 1, 32}, {1, 0, 32}, {1, 1, 0},
            {1, 1, -1}, // bpp u32 max > U32_MAX - 8
            {0x4000_0000, 1, 64}, // cpp 8 * width 2^30 overflows u32
            {0x10000, 0x10000, 8}, // stride 65536 * height 65536 = 2^32
            {0xFFFF_F001, 1, 8}, // size 0xFFFFF001: PAGE_ALIGN wraps to 0
        };
        for (int[] b : bad) {
            KernelException e = assertThrows(KernelException.class, () -> DumbGeometry.of(b[0], b[1], b[2]),
                    b[0] + "x" + b[1] + "x" + b[2]);
            assertEquals(Errno.EINVAL, e.errno());
        }
    }

    @Test
    void shouldAcceptTheLargestNonWrappingSize() throws Exception {
        assertEquals(new DumbGeometry(0xFFFF_F000L, 0xFFFF_F000L), DumbGeometry.of(0xFFFF_F000, 1, 8));
    }
}
