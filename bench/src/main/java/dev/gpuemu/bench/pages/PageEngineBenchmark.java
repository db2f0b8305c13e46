package dev.gpuemu.bench.pages;

import dev.gpuemu.machine.pages.PageEngine;
import dev.gpuemu.machine.pages.PageOps;
import dev.gpuemu.machine.pages.SurfaceGeometry;
import dev.gpuemu.machine.pages.Tiling;
import dev.gpuemu.machine.pages.Tilings;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/// The page engine, one 4 KiB page per operation, in two size classes:
/// - `l1`: the same page (or page pair) every time, so the data stays in the L1 cache;
/// - `dram`: each operation takes the next page of buffers much larger than the caches
///   ([#dramMiB] MiB each; this VM reports a 480 MiB L3), streaming from memory.
///
/// `impl` selects the Vector API engine, the scalar reference, or (for copy and zero only) the
/// JDK's own bulk operation (`MemorySegment.copy` / `fill`) as a Java-side comparison. Tiling
/// benchmarks move a 32x32 RGBA8 surface, which is exactly one page linear and one page tiled in
/// both layouts. Run through `gpuemu bench pages`, which adds the C `memcpy`/`memset` baseline.
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow"})
public class PageEngineBenchmark {
    static final int PAGE = 4096;
    static final SurfaceGeometry SURFACE = SurfaceGeometry.packed(32, 32, 4);
    /// Block height of the block-linear benchmarks: 4 GOBs, so 32 rows fill one block.
    static final int BLOCK_HEIGHT_LOG2 = 2;
    static final long SEED = 0x5EED;

    @Param({"l1", "dram"})
    public String size;

    @Param({"vector", "scalar"})
    public String impl;

    /// Size of each streaming buffer in the dram class.
    @Param({"1024"})
    public int dramMiB;

    private Arena arena;
    // One pre-made slice per page: slicing inside the measured call would allocate whenever the
    // callee is too large to inline, and that allocation would be the harness's, not the engine's.
    private MemorySegment[] src;
    private MemorySegment[] dst;
    private MemorySegment[] zeros;
    private MemorySegment[] pattern;
    private int pages;
    private int page;
    private PageOps ops;
    private Tiling tiling;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        ops = "scalar".equals(impl) ? PageEngine.scalar() : PageEngine.vector();
        tiling = "scalar".equals(impl) ? Tilings.scalar() : Tilings.vector();
        long bytes = "dram".equals(size) ? (long) dramMiB << 20 : PAGE;
        pages = (int) (bytes / PAGE);
        arena = Arena.ofShared();
        String op = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
        // Allocate (and touch) only what this operation reads or writes: large dram buffers are
        // slow to fill, and untouched ones would only cost memory.
        PageOps v = PageEngine.vector();
        switch (op) {
            case "isZero" -> {
                MemorySegment z = arena.allocate(bytes, PAGE);
                v.zero(z);
                zeros = pages(z);
            }
            case "verifyPattern" -> {
                MemorySegment p = arena.allocate(bytes, PAGE);
                v.fillPattern(p, SEED, 0);
                pattern = pages(p);
            }
            default -> {
                MemorySegment s = arena.allocate(bytes, PAGE);
                MemorySegment d = arena.allocate(bytes, PAGE);
                v.fill64(s, 0x0123_4567_89AB_CDEFL);
                v.copy(s, d);
                src = pages(s);
                dst = pages(d);
            }
        }
    }

    private MemorySegment[] pages(MemorySegment all) {
        MemorySegment[] out = new MemorySegment[pages];
        for (int i = 0; i < pages; i++) {
            out[i] = all.asSlice((long) i * PAGE, PAGE);
        }
        return out;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /// Index of the page this operation works on: always 0 for l1, the next one for dram.
    private int next() {
        int i = page;
        page = i + 1 == pages ? 0 : i + 1;
        return i;
    }

    @Benchmark
    public void zero() {
        ops.zero(dst[next()]);
    }

    @Benchmark
    public void fill64() {
        ops.fill64(dst[next()], 0x0123_4567_89AB_CDEFL);
    }

    @Benchmark
    public void copy() {
        int i = next();
        ops.copy(src[i], dst[i]);
    }

    @Benchmark
    public long mismatch() {
        int i = next();
        return ops.mismatch(src[i], dst[i]);
    }

    @Benchmark
    public boolean isZero() {
        return ops.isZero(zeros[next()]);
    }

    @Benchmark
    public long verifyPattern() {
        int i = next();
        return ops.verifyPattern(pattern[i], SEED, (long) i * PAGE);
    }

    @Benchmark
    public int crc32c() {
        return ops.crc32c(0, src[next()]);
    }

    @Benchmark
    public void swizzle() {
        int i = next();
        ops.swizzleRgbaBgra(src[i], dst[i]);
    }

    @Benchmark
    public void maliTile() {
        int i = next();
        tiling.maliTile(src[i], dst[i], SURFACE);
    }

    @Benchmark
    public void maliDetile() {
        int i = next();
        tiling.maliDetile(src[i], dst[i], SURFACE);
    }

    @Benchmark
    public void blockLinearTile() {
        int i = next();
        tiling.blockLinearTile(src[i], dst[i], SURFACE, BLOCK_HEIGHT_LOG2);
    }

    @Benchmark
    public void blockLinearDetile() {
        int i = next();
        tiling.blockLinearDetile(src[i], dst[i], SURFACE, BLOCK_HEIGHT_LOG2);
    }
}
