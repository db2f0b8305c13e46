package dev.gpuemu.regs.mali;

/// The descriptor `RUN_COMPUTE` reads in the model, in place of a Valhall shader program: the
/// Valhall ISA is not modelled, so a job names one of the device's built-in kernels and gives its
/// arguments. 64 bytes, little-endian, 64-byte aligned, in the group's address space:
///
/// | offset | field | meaning |
/// |---|---|---|
/// | 0x00 | u32 `magic` | [#MAGIC] (`'GKRN'`); anything else stops the stream with `INSTR_INVALID_ENC` |
/// | 0x04 | u16 `kernel` | [#COPY], [#FILL], [#SAXPY], [#DETILE], [#FMA_LOOP] |
/// | 0x06 | u16 `flags` | must be 0 |
/// | 0x08 | u64 `arg0` ... 0x38 u64 `arg6` | kernel arguments (below) |
///
/// | kernel | arguments |
/// |---|---|
/// | `COPY` | arg0 src VA, arg1 dst VA, arg2 bytes |
/// | `FILL` | arg0 dst VA, arg1 bytes, arg2 64-bit pattern (repeated, little-endian) |
/// | `SAXPY` | arg0 x VA, arg1 y VA, arg2 n (floats), arg3 `a` as float bits: `y[i] = a * x[i] + y[i]` |
/// | `DETILE` | arg0 tiled src VA (16x16 block u-interleaved), arg1 linear dst VA, arg2 width, arg3 height, arg4 bytes per pixel (1, 2, 4, 8, 16), arg5 dst stride (0 = packed) |
/// | `FMA_LOOP` | arg0 x VA (FP32, in place), arg1 n (floats), arg2 iterations (1..[#FMA_LOOP_MAX_ITERATIONS]), arg3 `a`, arg4 `b` as float bits: `iterations` times `x[i] = fma(a, x[i], b)`; `n * iterations` at most [#FMA_LOOP_MAX_WORK] (an ALU-bound kernel: 2 flops per iteration per element, 8 bytes of traffic per element) |
///
/// A kernel touching memory its address space does not map faults the group; it never reads or
/// writes outside its VM.
public final class ComputeKernelDesc {
    private ComputeKernelDesc() {
    }

    public static final int SIZE = 64;
    public static final int ALIGN = 64;
    /// `'G' 'K' 'R' 'N'` read as a little-endian u32.
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
    /// Largest `iterations` of `FMA_LOOP`.
    public static final long FMA_LOOP_MAX_ITERATIONS = 1L << 16;
    /// Largest `n * iterations` of `FMA_LOOP` (bounds the host's work for one job).
    public static final long FMA_LOOP_MAX_WORK = 1L << 30;

    /// Offset of argument `i`.
    public static int arg(int i) {
        return OFF_ARGS + 8 * i;
    }
}
