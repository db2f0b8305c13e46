package dev.gpuemu.bench.drm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/// The table of one [IoctlDispatchBenchmark] run: ns/op and B/op per case, each case's ratio to
/// the unguarded baseline of the same benchmark measured in the same run, and issue [3/8]'s goals.
///
/// The baseline of a benchmark is its `guard=NONE` case with core ioctls unguarded (no section
/// anywhere on the path). So for core ioctls `SRCU / core unguarded` is the cost of the two
/// `drm_dev_is_unplugged` point checks (the Linux design), and `SRCU / core guarded` adds a full
/// guard around the handler.
///
/// ## Thread safety
/// Immutable.
public record IoctlDispatchReport(List<Row> rows) {
    /// Goal: a null ioctl under this many ns/op on one thread.
    public static final double NULL_IOCTL_NS = 60.0;
    /// Goal: guard overhead under this ratio.
    public static final double GUARD_OVERHEAD = 1.15;
    /// B/op below this count as 0. One object per op is at least 16 B; the JMH probe counts every
    /// thread, and a floor of ≈ 0.07 MB/s (JMH, the machine's own threads) shows in every case,
    /// even `pointCheck`, as up to ≈ 0.05 B/op in an iteration of a ~100 ns op.
    public static final double ZERO_BYTES = 0.1;

    /// One case. `coreGuarded` is null for benchmarks without that parameter; `bytesPerOp` is
    /// NaN without the GC profiler.
    public record Row(String benchmark, String guard, Boolean coreGuarded, double nsPerOp, double nsError,
                      double bytesPerOp) {
        public Row {
            Objects.requireNonNull(benchmark, "benchmark");
            Objects.requireNonNull(guard, "guard");
        }

        boolean isBaseline() {
            return guard.equals("NONE") && !Boolean.TRUE.equals(coreGuarded);
        }

        String label() {
            return guard + (coreGuarded == null ? "" : coreGuarded ? ", core guarded" : ", core unguarded");
        }
    }

    public IoctlDispatchReport {
        rows = rows.stream()
                .sorted(Comparator.comparing(Row::benchmark)
                        .thenComparing(r -> r.isBaseline() ? 0 : 1)
                        .thenComparing(Row::guard)
                        .thenComparing(r -> Boolean.TRUE.equals(r.coreGuarded())))
                .toList();
    }

    /// The unguarded baseline of `benchmark`, if it was measured.
    public Optional<Row> baseline(String benchmark) {
        return rows.stream().filter(r -> r.benchmark().equals(benchmark) && r.isBaseline()).findFirst();
    }

    /// `row`'s time over its baseline's, or NaN without a baseline.
    public double ratio(Row row) {
        return baseline(row.benchmark()).map(b -> row.nsPerOp() / b.nsPerOp()).orElse(Double.NaN);
    }

    /// The case `benchmark` with `guard` and `coreGuarded` (null: the benchmark has no such
    /// parameter).
    public Optional<Row> find(String benchmark, String guard, Boolean coreGuarded) {
        return rows.stream()
                .filter(r -> r.benchmark().equals(benchmark) && r.guard().equals(guard)
                        && Objects.equals(r.coreGuarded(), coreGuarded))
                .findFirst();
    }

    /// The table, then the goals.
    public String format() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-20s %-26s %12s %10s %11s %14s%n", "benchmark", "guard", "ns/op", "± (99.9%)",
                "B/op", "vs unguarded"));
        for (Row r : rows) {
            double ratio = ratio(r);
            b.append(String.format(Locale.ROOT, "%-20s %-26s %12.2f %10.2f %11.3f %14s%n", r.benchmark(), r.label(),
                    r.nsPerOp(), r.nsError(), r.bytesPerOp(),
                    r.isBaseline() ? "baseline" : Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.3f×", ratio)));
        }
        b.append(String.format(Locale.ROOT, "%nGoals (issue [3/8]):%n"));
        for (String line : goals()) {
            b.append("  ").append(line).append(System.lineSeparator());
        }
        return b.toString();
    }

    /// One line per goal that this run measured.
    List<String> goals() {
        List<String> out = new ArrayList<>();
        find("getCap", "SRCU", false).ifPresent(r -> {
            out.add(verdict(r.nsPerOp() < NULL_IOCTL_NS,
                    String.format(Locale.ROOT, "null ioctl (getCap, SRCU, default config) %.2f ns/op < %.0f", r.nsPerOp(),
                            NULL_IOCTL_NS)));
            out.add(verdict(r.bytesPerOp() < ZERO_BYTES,
                    String.format(Locale.ROOT, "null ioctl allocation %.3f B/op = 0", r.bytesPerOp())));
        });
        overhead(out, "getCap", "SRCU", false, "getCap point checks only (Linux design)");
        overhead(out, "getCap", "SRCU", true, "getCap with a full guard around the core handler");
        overhead(out, "fenceSignalEnoent", "SRCU", null, "driver ioctl (guard around the handler)");
        return out;
    }

    private void overhead(List<String> out, String bench, String guard, Boolean coreGuarded, String what) {
        find(bench, guard, coreGuarded).ifPresent(r -> {
            double ratio = ratio(r);
            if (!Double.isNaN(ratio)) {
                out.add(verdict(ratio < GUARD_OVERHEAD, String.format(Locale.ROOT,
                        "guard overhead, %s: %+.1f %% < %+.0f %%", what, (ratio - 1) * 100, (GUARD_OVERHEAD - 1) * 100)));
            }
        });
    }

    private static String verdict(boolean met, String text) {
        return (met ? "met:     " : "NOT met: ") + text;
    }
}
