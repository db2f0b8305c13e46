package dev.gpuemu.user.panthor;

import dev.gpuemu.user.drm.UserMapping;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/// The 64-byte descriptor `RUN_COMPUTE` reads in place of a shader program: one of the device's
/// built-in kernels and its arguments. Userspace's own copy of the format (a test checks it
/// against the device's); see docs/devices/mali-g610.md for the kernels' semantics.
///
/// | offset | field |
/// |---|---|
/// | 0x00 | u32 magic `'GKRN'` |
/// | 0x04 | u16 kernel |
/// | 0x06 | u16 flags (0) |
/// | 0x08 + 8 i | u64 arg i, i = 0..6 |
///
/// ## Thread safety
/// Immutable.
public record KernelDesc(int kernel, long arg0, long arg1, long arg2, long arg3, long arg4, long arg5, long arg6) {
    public static final int SIZE = 64;
    public static final int ALIGN = 64;
    public static final int MAGIC = 0x4E52_4B47;
    public static final int OFF_MAGIC = 0x00;
    public static final int OFF_KERNEL = 0x04;
    public static final int OFF_FLAGS = 0x06;
    public static final int OFF_ARGS = 0x08;
    public static final int ARGS = 7;

    public static final int COPY = 1;
    public static final int FILL = 2;
    public static final int SAXPY = 3;
    public static final int DETILE = 4;
    public static final int FMA_LOOP = 5;

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /// Copy `bytes` bytes from GPU VA `src` to `dst`.
    public static KernelDesc copy(long src, long dst, long bytes) {
        return new KernelDesc(COPY, src, dst, bytes, 0, 0, 0, 0);
    }

    /// Fill `bytes` bytes at `dst` with the little-endian 64-bit `pattern`, repeated.
    public static KernelDesc fill(long dst, long bytes, long pattern) {
        return new KernelDesc(FILL, dst, bytes, pattern, 0, 0, 0, 0);
    }

    /// `y[i] = a * x[i] + y[i]` for `n` floats.
    public static KernelDesc saxpy(long x, long y, long n, float a) {
        return new KernelDesc(SAXPY, x, y, n, Float.floatToRawIntBits(a) & 0xFFFF_FFFFL, 0, 0, 0);
    }

    /// Detile a 16x16-block u-interleaved image of `width` x `height` pixels of `bpp` bytes from
    /// `src` to linear `dst` with row `stride` (0: packed).
    public static KernelDesc detile(long src, long dst, long width, long height, long bpp, long stride) {
        return new KernelDesc(DETILE, src, dst, width, height, bpp, stride, 0);
    }

    /// Byte offset of argument `i`.
    /// `FMA_LOOP`: `iterations` times `x[i] = fma(a, x[i], b)` over `n` floats at `x` (ALU-bound).
    public static KernelDesc fmaLoop(long x, long n, long iterations, float a, float b) {
        return new KernelDesc(FMA_LOOP, x, n, iterations, Float.floatToRawIntBits(a) & 0xFFFF_FFFFL,
                Float.floatToRawIntBits(b) & 0xFFFF_FFFFL, 0, 0);
    }

    public static int arg(int i) {
        return OFF_ARGS + 8 * i;
    }

    /// The descriptor's 64 bytes.
    public byte[] toBytes() {
        byte[] out = new byte[SIZE];
        MemorySegment s = MemorySegment.ofArray(out);
        s.set(U32, OFF_MAGIC, MAGIC);
        s.set(U16, OFF_KERNEL, (short) kernel);
        s.set(U16, OFF_FLAGS, (short) 0);
        long[] args = {arg0, arg1, arg2, arg3, arg4, arg5, arg6};
        for (int i = 0; i < ARGS; i++) {
            s.set(U64, arg(i), args[i]);
        }
        return out;
    }

    /// Writes the descriptor into `mapping` at byte `offset` (64-byte aligned in the GPU VA).
    public void writeTo(UserMapping mapping, long offset) {
        mapping.write(offset, MemorySegment.ofArray(toBytes()), 0, SIZE);
    }
}
