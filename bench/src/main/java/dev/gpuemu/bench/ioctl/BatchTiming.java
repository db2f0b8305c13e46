package dev.gpuemu.bench.ioctl;

import dev.gpuemu.machine.time.Participant;
import dev.gpuemu.machine.time.SimClock;
import java.util.Arrays;

/// An op timed the way the host's syscall floor is timed (`ioctlfloor.c`): a warm-up of a tenth
/// of a round, then `rounds` rounds of `calls` back-to-back calls, each round timed as a whole
/// with two clock reads, and the median ns per call of the rounds. Per-call timing (the phases'
/// HdrHistogram loop) adds a `System.nanoTime()` and a histogram update to every op, which the
/// floor does not pay; comparing the two needs the same method on both sides.
///
/// @param medianNs median over the rounds of ns per call
/// @param minNs    fastest round
/// @param maxNs    slowest round
/// @param errors   calls that answered non-zero (the comparison is void unless 0)
///
/// ## Thread safety
/// Immutable.
record BatchTiming(double medianNs, double minNs, double maxNs, long errors) {

    /// Of two measurements the one with the lower median: a busy host only ever makes a round
    /// slower (the rule [SyscallFloor#lower] uses for the floor).
    static BatchTiming lower(BatchTiming a, BatchTiming b) {
        return a.medianNs <= b.medianNs ? a : b;
    }

    /// Times `op` on a new platform thread (a SimClock participant when `clock` is non-null, as
    /// the phases' workers are).
    static BatchTiming measure(BenchOp op, long calls, int rounds, SimClock clock) {
        if (calls <= 0 || rounds <= 0) {
            throw new IllegalArgumentException("calls and rounds must be positive: " + calls + ", " + rounds);
        }
        BatchTiming[] out = new BatchTiming[1];
        RuntimeException[] failure = new RuntimeException[1];
        Runnable body = () -> {
            try {
                out[0] = run(op, calls, rounds);
            } catch (RuntimeException e) {
                failure[0] = e;
            }
        };
        Thread t = Thread.ofPlatform().name("ioctl-bench-batch").unstarted(() -> {
            if (clock == null) {
                body.run();
            } else {
                try (Participant _ = clock.participate()) {
                    body.run();
                }
            }
        });
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while joining the batch thread", e);
        }
        if (failure[0] != null) {
            throw new IllegalStateException("batch timing failed", failure[0]);
        }
        return out[0];
    }

    private static BatchTiming run(BenchOp op, long calls, int rounds) {
        long errors = 0;
        for (long i = 0; i < Math.max(1, calls / 10); i++) {
            op.call();
        }
        double[] perCall = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (long i = 0; i < calls; i++) {
                if (op.call() != 0) {
                    errors++;
                }
            }
            perCall[r] = (double) (System.nanoTime() - t0) / calls;
        }
        Arrays.sort(perCall);
        return new BatchTiming(perCall[rounds / 2], perCall[0], perCall[rounds - 1], errors);
    }
}
