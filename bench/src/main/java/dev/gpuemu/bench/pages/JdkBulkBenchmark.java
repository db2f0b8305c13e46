package dev.gpuemu.bench.pages;

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

/// The JDK's own bulk operations on the same pages as [PageEngineBenchmark], for comparison:
/// `MemorySegment.copy` and `MemorySegment.fill`.
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow"})
public class JdkBulkBenchmark {
    static final int PAGE = 4096;

    @Param({"l1", "dram"})
    public String size;

    @Param({"1024"})
    public int dramMiB;

    private Arena arena;
    private MemorySegment src;
    private MemorySegment dst;
    private MemorySegment[] dstPages;
    private long bytes;
    private long offset;

    @Setup(Level.Trial)
    public void setUp() {
        bytes = "dram".equals(size) ? (long) dramMiB << 20 : PAGE;
        arena = Arena.ofShared();
        src = arena.allocate(bytes, PAGE);
        dst = arena.allocate(bytes, PAGE);
        src.fill((byte) 1);
        dst.fill((byte) 1);
        dstPages = new MemorySegment[(int) (bytes / PAGE)];
        for (int i = 0; i < dstPages.length; i++) {
            dstPages[i] = dst.asSlice((long) i * PAGE, PAGE);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    private long next() {
        long o = offset;
        long n = o + PAGE;
        offset = n == bytes ? 0 : n;
        return o;
    }

    @Benchmark
    public void segmentCopy() {
        long o = next();
        MemorySegment.copy(src, o, dst, o, PAGE);
    }

    @Benchmark
    public void segmentFill() {
        dstPages[(int) (next() / PAGE)].fill((byte) 0);
    }
}
