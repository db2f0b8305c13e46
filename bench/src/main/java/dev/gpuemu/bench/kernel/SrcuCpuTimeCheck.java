package dev.gpuemu.bench.kernel;

import dev.gpuemu.kernel.sync.Srcu;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;

/// Supplement to [SrcuBenchmark] for a *shared* 2-vCPU machine: JMH's average time is wall time,
/// which doubles whenever another process takes one of the two CPUs. This check measures the
/// read side in per-thread **CPU time** per section (and wall time, for comparison) with 1 and
/// 2 threads, so descheduling does not count. It cannot hide contention on shared cache lines:
/// those cost CPU time too, which the single-`AtomicLong` control shows (its CPU time per
/// section grows with 2 threads only if the two threads really ran at the same time).
///
/// Run: `java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar
/// dev.gpuemu.bench.kernel.SrcuCpuTimeCheck [sectionsPerThread]`
public final class SrcuCpuTimeCheck {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private static int payload = 42;
    private static volatile int sink;
    private static final AtomicLong COUNTER = new AtomicLong();

    private SrcuCpuTimeCheck() {
    }

    public static void main(final String[] args) throws Exception {
        final long n = args.length > 0 ? Long.parseLong(args[0]) : 200_000_000L;
        for (final Srcu srcu : new Srcu[] {new Srcu("cpu-membarrier"), Srcu.withFences("cpu-fence"), null}) {
            final String label = srcu == null ? "ATOMICLONG" : srcu.mode().toString();
            run(srcu, 1, n / 10); // warm-up (C2)
            for (int round = 0; round < 3; round++) {
                for (final int threads : new int[] {1, 2}) {
                    final double[] r = run(srcu, threads, n);
                    System.out.printf("%-10s threads=%d  cpu %.2f ns/section  wall %.2f ns/section%n",
                            label, threads, r[0], r[1]);
                }
            }
        }
    }

    private static int srcuLoop(final Srcu srcu, final long n) {
        int acc = 0;
        for (long i = 0; i < n; i++) {
            final int idx = srcu.readLock();
            acc += payload;
            srcu.readUnlock(idx);
        }
        return acc;
    }

    private static int atomicLoop(final long n) {
        int acc = 0;
        for (long i = 0; i < n; i++) {
            COUNTER.incrementAndGet();
            acc += payload;
            COUNTER.decrementAndGet();
        }
        return acc;
    }

    /// `srcu == null` runs the AtomicLong control.
    /// Returns {mean CPU ns per section per thread, mean wall ns per section per thread}.
    private static double[] run(final Srcu srcu, final int threads, final long n) throws Exception {
        final CyclicBarrier start = new CyclicBarrier(threads);
        final double[] cpu = new double[threads];
        final double[] wall = new double[threads];
        final Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            final int me = t;
            ts[t] = Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (final Exception e) {
                    throw new IllegalStateException(e);
                }
                final long c0 = MX.getCurrentThreadCpuTime();
                final long w0 = System.nanoTime();
                final int acc = srcu == null ? atomicLoop(n) : srcuLoop(srcu, n);
                wall[me] = (double) (System.nanoTime() - w0) / n;
                cpu[me] = (double) (MX.getCurrentThreadCpuTime() - c0) / n;
                sink = acc;
            });
        }
        for (final Thread t : ts) {
            t.join();
        }
        double c = 0;
        double w = 0;
        for (int t = 0; t < threads; t++) {
            c += cpu[t] / threads;
            w += wall[t] / threads;
        }
        return new double[] {c, w};
    }
}
