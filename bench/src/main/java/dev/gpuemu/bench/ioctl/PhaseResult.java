package dev.gpuemu.bench.ioctl;

import org.HdrHistogram.Histogram;

/// One measured phase: `threads` threads running ops of `kind` under one guard, or the reason it
/// could not run.
///
/// @param ops         ops completed in the measured window (all threads)
/// @param windowNs    from the earliest thread's start to the latest thread's end
/// @param latency     every op's latency (ns), all threads merged; null when not run
/// @param allocBytes  bytes the threads allocated in the measured window
/// @param cpuNs       CPU time the threads got in their measured loops
/// @param errors      ops that answered an errno (a benchmark bug or a driver refusing load)
/// @param firstError  the first such `-errno`, 0 when none
/// @param unsupported why the phase did not run, or null
public record PhaseResult(int threads, IoctlKind kind, long ops, long windowNs, Histogram latency, long allocBytes,
                          long cpuNs, long errors, int firstError, String unsupported) {

    static PhaseResult unsupported(int threads, IoctlKind kind, String reason) {
        return new PhaseResult(threads, kind, 0, 0, null, 0, 0, 0, 0, reason);
    }

    public boolean ran() {
        return unsupported == null;
    }

    /// Ops per second of all threads together.
    public double opsPerSec() {
        return windowNs == 0 ? 0 : ops * 1e9 / windowNs;
    }

    /// Latency at `percentile` (0..100) in ns.
    public long latencyNs(double percentile) {
        return latency.getValueAtPercentile(percentile);
    }

    /// CPU time the threads got over `threads × window`: about 1 when every thread had a CPU to
    /// itself; well below 1 means the host was busy (or the threads blocked), so the phase's
    /// scaling says little about the emulator.
    public double cpuShare() {
        return windowNs == 0 ? 0 : (double) cpuNs / ((double) threads * windowNs);
    }

    public double allocBytesPerOp() {
        return ops == 0 ? 0 : (double) allocBytes / ops;
    }
}
