package dev.gpuemu.bench.ioctl;

import dev.gpuemu.machine.time.Participant;
import dev.gpuemu.machine.time.SimClock;
import java.lang.management.ManagementFactory;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import org.HdrHistogram.Histogram;

/// One benchmark thread of a phase: warm-up, then (after every thread finished warming up) the
/// measured loop, timing each op with one `System.nanoTime()` per op (an op's latency runs from
/// the previous op's end to its own end, so it includes the few ns of recording).
///
/// The measured loop allocates nothing: the ops write pre-set user structs, the histogram is
/// sized up front and values are clamped to its range.
///
/// ## Thread safety
/// Results are read by the coordinating thread after [Thread#join].
final class BenchWorker implements Runnable {
    /// Latencies above this (ns) are recorded as this; a minute is far beyond any op.
    static final long MAX_LATENCY_NS = 60_000_000_000L;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final BenchOp op;
    private final PhasePlan plan;
    private final CyclicBarrier start;
    /// The machine's clock when the ops wait on simulated time (the thread then takes part as a
    /// participant for the whole phase), else null.
    private final SimClock clock;
    final Histogram latency = new Histogram(1, MAX_LATENCY_NS, 3);
    long ops;
    long errors;
    int firstError;
    long startNs;
    long endNs;
    long allocBytes;
    /// CPU time the thread got in the measured window (ns).
    long cpuNs;
    Throwable failure;

    BenchWorker(BenchOp op, PhasePlan plan, CyclicBarrier start, SimClock clock) {
        this.op = op;
        this.plan = plan;
        this.start = start;
        this.clock = clock;
    }

    @Override
    public void run() {
        if (clock == null) {
            body();
        } else {
            try (Participant _ = clock.participate()) {
                body();
            }
        }
    }

    private void body() {
        try {
            warmUp();
            start.await();
            measure();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = e;
        } catch (BrokenBarrierException | RuntimeException | Error e) {
            failure = e;
            start.reset();
        }
    }

    private void warmUp() {
        long deadline = System.nanoTime() + plan.warmUpNs();
        for (long i = 0; plan.warmUpOps() > 0 ? i < plan.warmUpOps() : System.nanoTime() < deadline; i++) {
            op.call();
        }
    }

    private void measure() {
        long allocBefore = THREADS.getCurrentThreadAllocatedBytes();
        long cpuBefore = THREADS.getCurrentThreadCpuTime();
        long t = System.nanoTime();
        startNs = t;
        long end = t + plan.durationNs();
        long count = plan.count();
        long n = 0;
        long err = 0;
        int first = 0;
        while (true) {
            int r = op.call();
            long now = System.nanoTime();
            long d = now - t;
            latency.recordValue(d < 1 ? 1 : Math.min(d, MAX_LATENCY_NS));
            t = now;
            n++;
            if (r != 0) {
                err++;
                if (first == 0) {
                    first = r;
                }
            }
            if (count > 0 ? n >= count : now >= end) {
                break;
            }
        }
        endNs = t;
        cpuNs = THREADS.getCurrentThreadCpuTime() - cpuBefore;
        allocBytes = THREADS.getCurrentThreadAllocatedBytes() - allocBefore;
        ops = n;
        errors = err;
        firstError = first;
    }
}
