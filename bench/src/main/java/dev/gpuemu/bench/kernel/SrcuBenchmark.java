package dev.gpuemu.bench.kernel;

import dev.gpuemu.kernel.sync.Srcu;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/// SRCU read side against the usual alternatives, and grace-period latency.
///
/// - `read1_*` / `read2_*`: one read section (enter, read one field, exit) with 1 or 2 threads
///   sharing one guard object: Srcu in MEMBARRIER and FENCE mode, `ReentrantReadWriteLock` read
///   lock, a single `AtomicLong` inc/dec, and an unguarded baseline. Average time, ns/op.
///   `read2_srcuMembarrierOwnDomain` is a control (one domain per thread: nothing shared).
/// - `sync0_*`: `synchronize()` with no readers; `syncReader*`: a writer thread calling
///   `synchronize()` while a second thread loops over read sections (JMH group). Sample time.
///
/// Run: `java -jar bench/target/benchmarks.jar SrcuBenchmark -prof gc` (see docs/PERFORMANCE.md).
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow"})
public class SrcuBenchmark {

    /// Guards shared by all threads of a read benchmark.
    @State(Scope.Benchmark)
    public static class Guards {
        final Srcu membarrier = new Srcu("bench-membarrier");
        final Srcu fence = Srcu.withFences("bench-fence");
        final ReentrantReadWriteLock rrwl = new ReentrantReadWriteLock();
        final AtomicLong counter = new AtomicLong();
        int payload = 42;

        @Setup(Level.Trial)
        public void checkModes() {
            if (membarrier.mode() != Srcu.Mode.MEMBARRIER) {
                throw new IllegalStateException("membarrier(2) unusable here: " + membarrier);
            }
        }
    }

    // ---- read side, 1 thread -----------------------------------------------------------------

    @Benchmark @BenchmarkMode(Mode.AverageTime) @OutputTimeUnit(TimeUnit.NANOSECONDS) @Threads(1)
    public int read1_baseline(final Guards g) {
        return g.payload;
    }

    @Benchmark @BenchmarkMode(Mode.AverageTime) @OutputTimeUnit(TimeUnit.NANOSECONDS) @Threads(1)
    public int read1_srcuMembarrier(final Guards g) {
        return srcuSection(g.membarrier, g);
    }

    @Benchmark @BenchmarkMode(Mode.AverageTime) @OutputTimeUnit(TimeUnit.NANOSECONDS) @Threads(1)
    public int read1_srcuFence(final Guards g) {
        return srcuSection(g.fence, g);
    }

    @Benchmark @BenchmarkMode(Mode.AverageTime) @OutputTimeUnit(TimeUnit.NANOSECONDS) @Threads(1)
    public int read1_rrwl(final Guards g) {
        return rrwlSection(g);
    }

    @Benchmark @BenchmarkMode(Mode.AverageTime) @OutputTimeUnit(TimeUnit.NANOSECONDS) @Threads(1)
    public int read1_atomicLong(final Guards g) {
        return atomicSection(g);
    }

    // ---- read side, 2 threads ----------------------------------------------------------------

    @Benchmark @BenchmarkMode(Mode.AverageTime) @OutputTimeUnit(TimeUnit.NANOSECONDS) @Threads(2)
    public int read2_baseline(final Guards g) {
        return g.payload;
    }

    @Benchmark @BenchmarkMode(Mode.AverageTime) @OutputTimeUnit(TimeUnit.NANOSECONDS) @Threads(2)
    public int read2_srcuMembarrier(final Guards g) {
        return srcuSection(g.membarrier, g);
    }

    @Benchmark @BenchmarkMode(Mode.AverageTime) @OutputTimeUnit(TimeUnit.NANOSECONDS) @Threads(2)
    public int read2_srcuFence(final Guards g) {
        return srcuSection(g.fence, g);
    }

    @Benchmark @BenchmarkMode(Mode.AverageTime) @OutputTimeUnit(TimeUnit.NANOSECONDS) @Threads(2)
    public int read2_rrwl(final Guards g) {
        return rrwlSection(g);
    }

    @Benchmark @BenchmarkMode(Mode.AverageTime) @OutputTimeUnit(TimeUnit.NANOSECONDS) @Threads(2)
    public int read2_atomicLong(final Guards g) {
        return atomicSection(g);
    }

    /// Control for the 2-thread case: each thread has its own domain, so nothing at all is
    /// shared. If this matches `read2_srcuMembarrier`, the shared domain costs nothing extra.
    @State(Scope.Thread)
    public static class OwnDomain {
        final Srcu srcu = new Srcu("bench-own");
    }

    @Benchmark @BenchmarkMode(Mode.AverageTime) @OutputTimeUnit(TimeUnit.NANOSECONDS) @Threads(2)
    public int read2_srcuMembarrierOwnDomain(final OwnDomain d, final Guards g) {
        return srcuSection(d.srcu, g);
    }

    private static int srcuSection(final Srcu srcu, final Guards g) {
        final int idx = srcu.readLock();
        try {
            return g.payload;
        } finally {
            srcu.readUnlock(idx);
        }
    }

    private static int rrwlSection(final Guards g) {
        final ReentrantReadWriteLock.ReadLock l = g.rrwl.readLock();
        l.lock();
        try {
            return g.payload;
        } finally {
            l.unlock();
        }
    }

    private static int atomicSection(final Guards g) {
        g.counter.incrementAndGet();
        try {
            return g.payload;
        } finally {
            g.counter.decrementAndGet();
        }
    }

    // ---- grace periods -----------------------------------------------------------------------

    @Benchmark @BenchmarkMode(Mode.SampleTime) @OutputTimeUnit(TimeUnit.MICROSECONDS) @Threads(1)
    public void sync0_membarrier(final Guards g) {
        g.membarrier.synchronize();
    }

    @Benchmark @BenchmarkMode(Mode.SampleTime) @OutputTimeUnit(TimeUnit.MICROSECONDS) @Threads(1)
    public void sync0_fence(final Guards g) {
        g.fence.synchronize();
    }

    /// One domain per JMH group: a writer and a reader thread.
    @State(Scope.Group)
    public static class MembarrierPair {
        final Srcu srcu = new Srcu("bench-pair-membarrier");
        int payload = 42;
    }

    /// As [MembarrierPair], FENCE mode.
    @State(Scope.Group)
    public static class FencePair {
        final Srcu srcu = Srcu.withFences("bench-pair-fence");
        int payload = 42;
    }

    @Benchmark @BenchmarkMode(Mode.SampleTime) @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Group("syncReaderMembarrier") @GroupThreads(1)
    public void syncReaderMembarrier_writer(final MembarrierPair p) {
        p.srcu.synchronize();
    }

    @Benchmark @BenchmarkMode(Mode.SampleTime) @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Group("syncReaderMembarrier") @GroupThreads(1)
    public int syncReaderMembarrier_reader(final MembarrierPair p) {
        final int idx = p.srcu.readLock();
        try {
            return p.payload;
        } finally {
            p.srcu.readUnlock(idx);
        }
    }

    @Benchmark @BenchmarkMode(Mode.SampleTime) @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Group("syncReaderFence") @GroupThreads(1)
    public void syncReaderFence_writer(final FencePair p) {
        p.srcu.synchronize();
    }

    @Benchmark @BenchmarkMode(Mode.SampleTime) @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Group("syncReaderFence") @GroupThreads(1)
    public int syncReaderFence_reader(final FencePair p) {
        final int idx = p.srcu.readLock();
        try {
            return p.payload;
        } finally {
            p.srcu.readUnlock(idx);
        }
    }
}
