package dev.gpuemu.kernel.drm.gem;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.uapi.Errno;

/// Dumb-buffer geometry (`drm_mode_create_dumb` checks plus the shmem helper's
/// `drm_gem_shmem_dumb_create` rules): `pitch = ceil(width * bpp / 8)`,
/// `size = PAGE_ALIGN(pitch * height)`.
///
/// Inputs are the uAPI's `u32` fields, read unsigned. The kernel computes the minimum pitch in
/// 32-bit arithmetic (which can wrap for huge widths); here it is computed exactly, which only
/// differs where the kernel itself would produce a too-small pitch.
///
/// @param pitch bytes per row
/// @param size  object size in bytes, a positive page multiple
public record DumbGeometry(long pitch, long size) {
    private static final long U32_MAX = 0xFFFF_FFFFL;
    private static final long PAGE_MASK = (1L << VmaOffsetManager.PAGE_SHIFT) - 1;

    /// Geometry for `width` x `height` pixels of `bpp` bits.
    ///
    /// @throws KernelException EINVAL for a zero field, or when the 32-bit size computations of
    ///         `drm_mode_create_dumb` would overflow
    public static DumbGeometry of(int width, int height, int bpp) throws KernelException {
        return of(width, height, bpp, 0, 0);
    }

    /// As [#of(int, int, int)], keeping a caller's `pitchHint`/`sizeHint` when both are
    /// non-zero and large enough (in-kernel callers; the ioctl zeroes them first).
    public static DumbGeometry of(int width, int height, int bpp, long pitchHint, long sizeHint)
            throws KernelException {
        long w = Integer.toUnsignedLong(width);
        long h = Integer.toUnsignedLong(height);
        long b = Integer.toUnsignedLong(bpp);
        if (pitchHint < 0 || pitchHint > U32_MAX || sizeHint < 0 || sizeHint > Long.MAX_VALUE - PAGE_MASK) {
            throw new IllegalArgumentException("hints out of range: " + pitchHint + ", " + sizeHint);
        }
        if (w == 0 || h == 0 || b == 0) {
            throw new KernelException(Errno.EINVAL, "dumb buffer with a zero dimension");
        }
        if (b > U32_MAX - 8) {
            throw new KernelException(Errno.EINVAL, "dumb buffer bpp overflows");
        }
        long cpp = (b + 7) / 8;
        if (cpp > U32_MAX / w) {
            throw new KernelException(Errno.EINVAL, "dumb buffer stride overflows");
        }
        long stride = cpp * w;
        if (h > U32_MAX / stride) {
            throw new KernelException(Errno.EINVAL, "dumb buffer size overflows");
        }
        long size32 = h * stride;
        if (((size32 + PAGE_MASK) & ~PAGE_MASK & U32_MAX) == 0) { // PAGE_ALIGN on a u32 wraps to 0
            throw new KernelException(Errno.EINVAL, "dumb buffer size wraps");
        }
        long minPitch = (w * b + 7) / 8;
        long pitch;
        long size;
        if (pitchHint == 0 || sizeHint == 0) {
            pitch = minPitch;
            size = pageAlign(pitch * h);
        } else {
            pitch = Math.max(pitchHint, minPitch);
            size = pageAlign(Math.max(sizeHint, pitch * h)); // the shmem create aligns a kept size
        }
        return new DumbGeometry(pitch, size);
    }

    private static long pageAlign(long n) {
        return (n + PAGE_MASK) & ~PAGE_MASK;
    }
}
