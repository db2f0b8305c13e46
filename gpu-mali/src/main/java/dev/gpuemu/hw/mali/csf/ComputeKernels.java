package dev.gpuemu.hw.mali.csf;

import static dev.gpuemu.regs.mali.MaliAsReg.ACCESS_READ;
import static dev.gpuemu.regs.mali.MaliAsReg.ACCESS_WRITE;

import dev.gpuemu.machine.pages.PageEngine;
import dev.gpuemu.machine.pages.PageOps;
import dev.gpuemu.machine.pages.SurfaceGeometry;
import dev.gpuemu.machine.pages.Tiling;
import dev.gpuemu.machine.pages.Tilings;
import dev.gpuemu.regs.mali.ComputeKernelDesc;
import dev.gpuemu.regs.mali.MaliException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/// The built-in compute kernels `RUN_COMPUTE` runs in place of Valhall shader programs
/// ([ComputeKernelDesc]): `COPY`, `FILL`, `SAXPY`, `DETILE`, `FMA_LOOP`, on the page engine over the
/// physical pages of the group's address space.
///
/// Every kernel first translates **every** page it will read or write ([VmIo#probe]); only when
/// all translate does it touch memory, page piece by page piece. A kernel that faults therefore
/// writes no byte, and never anything outside its VM. Argument errors (misaligned `SAXPY`
/// arrays, a bad `DETILE` geometry) fault with `DATA_INVALID_FAULT` at the offending VA.
///
/// Semantics: `COPY` between overlapping ranges is undefined (as `memcpy`); the model copies
/// forward piece by piece. `SAXPY` computes `y[i] = fma(a, x[i], y[i])` in FP32 (the fused
/// multiply-add the shader cores execute).
///
/// ## Thread safety
/// Not thread-safe: one instance per [MaliCsf] (it owns two staging buffers), used on the clock
/// thread under the device lock.
///
/// ## Allocation
/// None per call: staging buffers and surface geometries are made once.
final class ComputeKernels {
    /// Largest `DETILE` surface edge in pixels.
    static final int MAX_SURFACE_EDGE = 1 << 16;

    private final VmIo io;
    private final PageOps ops = PageEngine.vector();
    private final Tiling tiling = Tilings.vector();
    private final MemorySegment tileStage;
    private final MemorySegment linStage;
    private final SurfaceGeometry[] tileGeometry = new SurfaceGeometry[5];

    ComputeKernels(VmIo io) {
        this.io = io;
        Arena arena = Arena.ofAuto();
        this.tileStage = arena.allocate(4096, 64);
        this.linStage = arena.allocate(4096, 64);
        for (int i = 0; i < tileGeometry.length; i++) {
            tileGeometry[i] = SurfaceGeometry.packed(16, 16, 1 << i);
        }
    }

    /// Bytes of memory traffic and flops of a job, for [CsfTiming] (0 for a bad kernel).
    static long trafficBytes(int kernel, long[] a) {
        return switch (kernel) {
            case ComputeKernelDesc.COPY -> 2 * clampLen(a[2]);
            case ComputeKernelDesc.FILL -> clampLen(a[1]);
            case ComputeKernelDesc.SAXPY -> 12 * clampLen(a[2]);
            case ComputeKernelDesc.FMA_LOOP -> 8 * clampLen(a[1]);
            case ComputeKernelDesc.DETILE -> 2 * clampLen(Math.min(a[2], MAX_SURFACE_EDGE) * Math.min(a[3], MAX_SURFACE_EDGE)
                    * Math.min(a[4], 16));
            default -> 0;
        };
    }

    static long flops(int kernel, long[] a) {
        return switch (kernel) {
            case ComputeKernelDesc.SAXPY -> 2 * clampLen(a[2]);
            case ComputeKernelDesc.FMA_LOOP -> fmaLoopValid(a[1], a[2]) ? 2 * a[1] * a[2] : 0;
            default -> 0;
        };
    }

    private static boolean fmaLoopValid(long n, long iterations) {
        return n >= 0 && iterations >= 1 && iterations <= ComputeKernelDesc.FMA_LOOP_MAX_ITERATIONS
                && n <= ComputeKernelDesc.FMA_LOOP_MAX_WORK / iterations;
    }

    private static long clampLen(long n) {
        return Math.clamp(n, 0, 1L << 48);
    }

    /// Whether `kernel` names a built-in kernel.
    static boolean known(int kernel) {
        return kernel >= ComputeKernelDesc.COPY && kernel <= ComputeKernelDesc.FMA_LOOP;
    }

    /// Runs `kernel` with arguments `a` in address space `as`; false with the fault in `io`.
    boolean run(int as, int kernel, long[] a) {
        io.begin();
        return switch (kernel) {
            case ComputeKernelDesc.COPY -> copy(as, a[0], a[1], a[2]);
            case ComputeKernelDesc.FILL -> fill(as, a[0], a[1], a[2]);
            case ComputeKernelDesc.SAXPY -> saxpy(as, a[0], a[1], a[2], Float.intBitsToFloat((int) a[3]));
            case ComputeKernelDesc.DETILE -> detile(as, a[0], a[1], a[2], a[3], a[4], a[5]);
            case ComputeKernelDesc.FMA_LOOP -> fmaLoop(as, a[0], a[1], a[2], Float.intBitsToFloat((int) a[3]),
                    Float.intBitsToFloat((int) a[4]));
            default -> throw new IllegalStateException("unchecked kernel " + kernel);
        };
    }

    private boolean copy(int as, long src, long dst, long n) {
        if (n < 0) {
            io.fail(src, MaliException.DATA_INVALID_FAULT);
            return false;
        }
        if (!io.probe(as, src, n, ACCESS_READ) || !io.probe(as, dst, n, ACCESS_WRITE)) {
            return false;
        }
        for (long done = 0; done < n;) {
            long s = src + done;
            long d = dst + done;
            long chunk = Math.min(n - done, Math.min(VmIo.toPageEnd(s), VmIo.toPageEnd(d)));
            MemorySegment ss = io.map(as, s, chunk, ACCESS_READ);
            MemorySegment ds = io.map(as, d, chunk, ACCESS_WRITE);
            if (ss == null || ds == null) {
                return false;
            }
            if (overlaps(ss, ds)) {
                MemorySegment.copy(ss, 0, ds, 0, chunk);
            } else {
                ops.copy(ss, ds);
            }
            done += chunk;
        }
        return true;
    }

    private boolean fill(int as, long dst, long n, long pattern) {
        if (n < 0) {
            io.fail(dst, MaliException.DATA_INVALID_FAULT);
            return false;
        }
        if (!io.probe(as, dst, n, ACCESS_WRITE)) {
            return false;
        }
        for (long done = 0; done < n;) {
            long d = dst + done;
            long chunk = Math.min(n - done, VmIo.toPageEnd(d));
            MemorySegment ds = io.map(as, d, chunk, ACCESS_WRITE);
            if (ds == null) {
                return false;
            }
            // The pattern repeats from dst: a piece starting at phase p begins with byte p.
            ops.fill64(ds, Long.rotateRight(pattern, 8 * (int) (done & 7)));
            done += chunk;
        }
        return true;
    }

    private boolean saxpy(int as, long x, long y, long n, float a) {
        if ((x & 3) != 0 || n < 0 || n > (1L << 48)) {
            io.fail(x, MaliException.DATA_INVALID_FAULT);
            return false;
        }
        if ((y & 3) != 0) {
            io.fail(y, MaliException.DATA_INVALID_FAULT);
            return false;
        }
        long bytes = 4 * n;
        if (!io.probe(as, x, bytes, ACCESS_READ) || !io.probe(as, y, bytes, ACCESS_WRITE)) {
            return false;
        }
        for (long done = 0; done < bytes;) {
            long chunk = Math.min(bytes - done, Math.min(VmIo.toPageEnd(x + done), VmIo.toPageEnd(y + done)));
            MemorySegment xs = io.map(as, x + done, chunk, ACCESS_READ);
            MemorySegment ys = io.map(as, y + done, chunk, ACCESS_WRITE);
            if (xs == null || ys == null) {
                return false;
            }
            for (long o = 0; o < chunk; o += 4) {
                ys.set(VmIo.F32, o, Math.fma(a, xs.get(VmIo.F32, o), ys.get(VmIo.F32, o)));
            }
            done += chunk;
        }
        return true;
    }

    private boolean fmaLoop(int as, long x, long n, long iterations, float a, float b) {
        if ((x & 3) != 0 || !fmaLoopValid(n, iterations)) {
            io.fail(x, MaliException.DATA_INVALID_FAULT);
            return false;
        }
        long bytes = 4 * n;
        if (!io.probe(as, x, bytes, ACCESS_READ) || !io.probe(as, x, bytes, ACCESS_WRITE)) {
            return false;
        }
        for (long done = 0; done < bytes;) {
            long chunk = Math.min(bytes - done, VmIo.toPageEnd(x + done));
            MemorySegment xs = io.map(as, x + done, chunk, ACCESS_WRITE);
            if (xs == null) {
                return false;
            }
            for (long o = 0; o < chunk; o += 4) {
                float v = xs.get(VmIo.F32, o);
                for (long k = 0; k < iterations; k++) {
                    v = Math.fma(a, v, b);
                }
                xs.set(VmIo.F32, o, v);
            }
            done += chunk;
        }
        return true;
    }

    private boolean detile(int as, long src, long dst, long width, long height, long bpp, long stride) {
        if (width < 1 || height < 1 || width > MAX_SURFACE_EDGE || height > MAX_SURFACE_EDGE
                || bpp < 1 || bpp > 16 || Long.bitCount(bpp) != 1) {
            io.fail(src, MaliException.DATA_INVALID_FAULT);
            return false;
        }
        long rowBytes = width * bpp;
        long pitch = stride == 0 ? rowBytes : stride;
        if (pitch < rowBytes || pitch > (1L << 32)) {
            io.fail(dst, MaliException.DATA_INVALID_FAULT);
            return false;
        }
        int b = (int) bpp;
        int tilesX = (int) ((width + 15) / 16);
        int tilesY = (int) ((height + 15) / 16);
        int tileBytes = 256 * b;
        if (!io.probe(as, src, (long) tilesX * tilesY * tileBytes, ACCESS_READ)) {
            return false;
        }
        for (long row = 0; row < height; row++) {
            if (!io.probe(as, dst + row * pitch, rowBytes, ACCESS_WRITE)) {
                return false;
            }
        }
        SurfaceGeometry g = tileGeometry[Long.numberOfTrailingZeros(bpp)];
        for (int ty = 0; ty < tilesY; ty++) {
            for (int tx = 0; tx < tilesX; tx++) {
                long tileVa = src + ((long) ty * tilesX + tx) * tileBytes;
                if (!transfer(as, tileVa, tileStage, 0, tileBytes, false)) {
                    return false;
                }
                tiling.maliDetile(tileStage, linStage, g);
                int cols = (int) Math.min(16, width - tx * 16L);
                for (int r = 0; r < 16 && ty * 16L + r < height; r++) {
                    long rowVa = dst + (ty * 16L + r) * pitch + tx * 16L * b;
                    if (!transfer(as, rowVa, linStage, (long) r * 16 * b, (long) cols * b, true)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /// Copies `len` bytes between VA `va` and `stage[off..]`, split at page boundaries;
    /// `toVm` writes the VM, otherwise reads it.
    private boolean transfer(int as, long va, MemorySegment stage, long off, long len, boolean toVm) {
        for (long done = 0; done < len;) {
            long chunk = Math.min(len - done, VmIo.toPageEnd(va + done));
            MemorySegment s = io.map(as, va + done, chunk, toVm ? ACCESS_WRITE : ACCESS_READ);
            if (s == null) {
                return false;
            }
            if (toVm) {
                MemorySegment.copy(stage, off + done, s, 0, chunk);
            } else {
                MemorySegment.copy(s, 0, stage, off + done, chunk);
            }
            done += chunk;
        }
        return true;
    }

    private static boolean overlaps(MemorySegment a, MemorySegment b) {
        long a0 = a.address();
        long b0 = b.address();
        return a0 < b0 + b.byteSize() && b0 < a0 + a.byteSize();
    }
}
