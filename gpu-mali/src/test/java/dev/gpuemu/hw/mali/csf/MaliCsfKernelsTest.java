package dev.gpuemu.hw.mali.csf;

import static dev.gpuemu.hw.mali.csf.CsAsm.move48;
import static dev.gpuemu.hw.mali.csf.CsAsm.runCompute;
import static dev.gpuemu.hw.mali.csf.CsAsm.sync;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.regs.mali.ComputeKernelDesc;
import dev.gpuemu.regs.mali.CsInstr;
import dev.gpuemu.regs.mali.CsOpcode;
import dev.gpuemu.regs.mali.MaliException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/// `RUN_COMPUTE` with the built-in kernels: results compared with plain Java, faults that write
/// nothing, bad descriptors, and the simulated duration the timing model gives.
class MaliCsfKernelsTest {
    static final int AS = 2;
    static final long RING = 0x10_0000L;
    static final int RING_SIZE = 4096;
    static final long DESC = 0x18_0000L;
    static final long SRC = 0x100_0000L;
    static final long DST = 0x200_0000L;
    static final long SYNC = 0x30_0000L;

    private final CsfHarness h = new CsfHarness();

    @BeforeEach
    void setUp() {
        h.boot();
        h.map(AS, RING, RING_SIZE);
        h.map(AS, DESC, 4096);
        h.map(AS, SYNC, 4096);
        h.startGroup(1, AS);
        h.startStream(1, 0, RING, RING_SIZE);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private void desc(int kernel, long... args) {
        h.w32(AS, DESC, ComputeKernelDesc.MAGIC);
        h.w32(AS, DESC + ComputeKernelDesc.OFF_KERNEL, kernel);
        for (int i = 0; i < ComputeKernelDesc.ARGS; i++) {
            h.w64(AS, DESC + ComputeKernelDesc.arg(i), i < args.length ? args[i] : 0);
        }
    }

    /// Runs the job at DESC, then a SYNC_ADD; returns simulated ns from submit to the add.
    private long runJob() {
        long t0 = h.clock.nowNs();
        h.submit(1, 0, AS, RING, RING_SIZE, move48(CsInstr.SPD_BASE, DESC), runCompute(0),
                move48(4, SYNC), move48(6, 1), sync(CsOpcode.SYNC_ADD64, 6, 4));
        long before = h.r64(AS, SYNC);
        assertTrue(h.await(() -> h.r64(AS, SYNC) == before + 1
                || h.findStream(1, 0).phase == CommandStream.Phase.FAULTED), "job finished");
        return h.clock.nowNs() - t0;
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void shouldCopyAcrossScatteredPagesAtUnalignedOffsets() {
        h.map(AS, SRC, 5 * 4096);
        h.map(AS, DST, 5 * 4096);
        byte[] data = random(3 * 4096 + 777, 1);
        h.writeBytes(AS, SRC + 100, data);
        desc(ComputeKernelDesc.COPY, SRC + 100, DST + 3001, data.length);
        runJob();
        assertArrayEquals(data, h.readBytes(AS, DST + 3001, data.length));
        assertEquals(0, h.readBytes(AS, DST + 3000, 1)[0], "byte before untouched");
        assertEquals(0, h.readBytes(AS, DST + 3001 + data.length, 1)[0], "byte after untouched");
        assertEquals(1, h.csf.stats().jobs());
    }

    @Test
    void shouldFillWithRepeatedPatternFromAnUnalignedStart() {
        h.map(AS, DST, 3 * 4096);
        long pattern = 0x0807_0605_0403_0201L;
        int n = 2 * 4096 + 13;
        desc(ComputeKernelDesc.FILL, DST + 5, n, pattern);
        runJob();
        byte[] got = h.readBytes(AS, DST + 5, n);
        for (int i = 0; i < n; i++) {
            assertEquals((byte) (i % 8 + 1), got[i], "byte " + i);
        }
        assertEquals(0, h.readBytes(AS, DST + 5 + n, 1)[0]);
    }

    @Test
    void shouldComputeSaxpyLikePlainJava() {
        int n = 3000; // 12000 bytes: crosses pages
        h.map(AS, SRC, 3 * 4096);
        h.map(AS, DST, 3 * 4096);
        float a = 1.75f;
        float[] x = new float[n];
        float[] y = new float[n];
        Random r = new Random(7);
        ByteBuffer xb = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer yb = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            x[i] = r.nextFloat() * 100 - 50;
            y[i] = r.nextFloat() * 100 - 50;
            xb.putFloat(x[i]);
            yb.putFloat(y[i]);
        }
        h.writeBytes(AS, SRC + 4, xb.array());
        h.writeBytes(AS, DST + 8, yb.array());
        desc(ComputeKernelDesc.SAXPY, SRC + 4, DST + 8, n, Float.floatToRawIntBits(a));
        runJob();
        ByteBuffer out = ByteBuffer.wrap(h.readBytes(AS, DST + 8, 4 * n)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            assertEquals(Math.fma(a, x[i], y[i]), out.getFloat(), "y[" + i + "]");
        }
    }

    @Test
    void shouldRunFmaLoopLikePlainJavaAndTakeAluBoundTime() {
        int n = 1500; // 6000 bytes: crosses a page
        int iterations = 1000;
        float a = 0.999f;
        float b = 0.25f;
        h.map(AS, SRC, 2 * 4096);
        ByteBuffer xb = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        float[] want = new float[n];
        Random r = new Random(11);
        for (int i = 0; i < n; i++) {
            float v = r.nextFloat() * 10 - 5;
            xb.putFloat(v);
            for (int k = 0; k < iterations; k++) {
                v = Math.fma(a, v, b);
            }
            want[i] = v;
        }
        h.writeBytes(AS, SRC + 12, xb.array());
        desc(ComputeKernelDesc.FMA_LOOP, SRC + 12, n, iterations, Float.floatToRawIntBits(a), Float.floatToRawIntBits(b));
        long ns = runJob();
        ByteBuffer out = ByteBuffer.wrap(h.readBytes(AS, SRC + 12, 4 * n)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            assertEquals(want[i], out.getFloat(), "x[" + i + "]");
        }
        CsfTiming t = h.csf.timing();
        long model = t.fmaLoopNs(n, iterations);
        assertEquals(t.jobNs(0, 2L * n * iterations), model, "ALU bound: 8 bytes per element are nothing");
        assertTrue(ns >= model && ns < model + 100_000, "fma_loop took " + ns + " ns, model " + model);
    }

    @Test
    void shouldFaultFmaLoopWithTooMuchWorkOrAMisalignedVectorAndWriteNothing() {
        h.map(AS, SRC, 4096);
        h.w32(AS, SRC + 4, Float.floatToRawIntBits(3f));
        desc(ComputeKernelDesc.FMA_LOOP, SRC + 4, 1024, ComputeKernelDesc.FMA_LOOP_MAX_ITERATIONS + 1, 0, 0);
        runJob();
        assertEquals(MaliException.DATA_INVALID_FAULT.code(), h.csFatal(1, 0) & 0xFF);
        assertEquals(3f, Float.intBitsToFloat((int) h.r64(AS, SRC + 4)), "x untouched");
    }

    /// The u-interleaved element index, from the layout's definition (not the engine's code).
    private static int uIndex(int x, int y) {
        int idx = 0;
        for (int bit = 0; bit < 4; bit++) {
            int xb = (x >> bit) & 1;
            int yb = (y >> bit) & 1;
            idx |= (xb ^ yb) << (2 * bit) | yb << (2 * bit + 1);
        }
        return idx;
    }

    @Test
    void shouldDetileSixteenBySixteenUInterleavedIntoAStridedLinearSurface() {
        int w = 37;
        int hgt = 21;
        int bpp = 4;
        int stride = 200;
        int tilesX = (w + 15) / 16;
        int tilesY = (hgt + 15) / 16;
        byte[] tiled = random(tilesX * tilesY * 256 * bpp, 3);
        h.map(AS, SRC, 6 * 4096);
        h.map(AS, DST, 2 * 4096);
        h.writeBytes(AS, SRC + 64, tiled);
        desc(ComputeKernelDesc.DETILE, SRC + 64, DST, w, hgt, bpp, stride);
        runJob();
        byte[] got = h.readBytes(AS, DST, stride * hgt);
        for (int py = 0; py < hgt; py++) {
            for (int px = 0; px < w; px++) {
                int tile = (py / 16) * tilesX + px / 16;
                int src = (tile * 256 + uIndex(px % 16, py % 16)) * bpp;
                for (int k = 0; k < bpp; k++) {
                    assertEquals(tiled[src + k], got[py * stride + px * bpp + k], "pixel " + px + "," + py);
                }
            }
            for (int k = w * bpp; k < stride && py < hgt - 1; k++) {
                assertEquals(0, got[py * stride + k], "stride padding untouched");
            }
        }
    }

    @Test
    void shouldFaultJobOnUnmappedPageWithTranslationFaultAndWriteNothing() {
        h.map(AS, SRC, 4 * 4096);
        h.map(AS, DST, 4096); // DST + 4096 .. is unmapped
        h.writeBytes(AS, SRC, random(8192, 9));
        desc(ComputeKernelDesc.COPY, SRC, DST, 8192);
        runJob();
        assertEquals(CommandStream.Phase.FAULTED, h.findStream(1, 0).phase);
        assertEquals(MaliException.TRANSLATION_FAULT_3.code(), h.csFatal(1, 0) & 0xFF);
        assertEquals(DST + 4096, h.csFatalInfo(1, 0), "fatal_info = the faulting VA");
        assertArrayEquals(new byte[4096], h.readBytes(AS, DST, 4096), "no byte written");
        assertEquals(0, h.r64(AS, SYNC), "the stream stopped");
    }

    @Test
    void shouldRejectDescriptorWithBadMagic() {
        desc(ComputeKernelDesc.FILL, SRC, 16, 0);
        h.w32(AS, DESC, 0x1234);
        runJob();
        assertEquals(MaliException.INSTR_INVALID_ENC.code(), h.csFatal(1, 0) & 0xFF);
        assertEquals(DESC, h.csFatalInfo(1, 0));
    }

    @Test
    void shouldRejectUnknownKernel() {
        desc(77, SRC, 16, 0);
        runJob();
        assertEquals(MaliException.INSTR_INVALID_ENC.code(), h.csFatal(1, 0) & 0xFF);
    }

    @Test
    void shouldTakeSimulatedTimeThatGrowsWithSizeAsTheModelSays() {
        CsfTiming t = h.csf.timing();
        h.map(AS, SRC, 1 << 20);
        h.map(AS, DST, 1 << 20);
        desc(ComputeKernelDesc.COPY, SRC, DST, 64 << 10);
        long small = runJob();
        desc(ComputeKernelDesc.COPY, SRC, DST, 1 << 20);
        long big = runJob();
        assertTrue(big > small, small + " < " + big);
        // Within a generous bound of the model (doorbell latency and instruction costs on top).
        assertTrue(big >= t.copyNs(1 << 20) && big < t.copyNs(1 << 20) + 100_000, "1 MiB copy took " + big + " ns");
        assertTrue(small >= t.copyNs(64 << 10) && small < t.copyNs(64 << 10) + 100_000, "64 KiB copy took " + small);
        // 1 MiB at ~10.2 GB/s: about 100 µs.
        assertTrue(t.copyNs(1 << 20) > 90_000 && t.copyNs(1 << 20) < 120_000, "model: " + t.copyNs(1 << 20));
    }

    @Test
    void shouldMakeSaxpyComputeBoundOnlyWhenFlopsDominate() {
        CsfTiming t = CsfTiming.G610_MC4_RK3588;
        assertEquals(512e9, t.fp32FlopsPerSecond(), 1);
        assertEquals(t.jobNs(12L * 1_000_000, 0), t.saxpyNs(1_000_000), "SAXPY is memory bound on the G610");
        assertTrue(t.jobNs(0, 1L << 40) > t.jobNs(1 << 20, 0), "flops alone cost time");
    }
}
