package dev.gpuemu.bench.pages;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/// The page engine's goals (issue [2/8]) as ratios measured in one run:
/// copy >= 0.95x C memcpy and zero >= 1.0x C memset in both size classes; is-zero, compare and
/// pattern verify >= 0.9x copy bandwidth; swizzle and tile/detile >= 4x their scalar versions;
/// no allocation per operation after warm-up.
final class Goals {
    private Goals() {
    }

    /// The goals from the JMH rows alone.
    static List<PageBenchReport.Goal> evaluate(List<PageBenchReport.Row> rows) {
        return evaluate(rows, List.of());
    }

    /// The goals; copy/zero vs C and scan vs copy take the paired median where `paired` has it,
    /// and the JMH ratio otherwise.
    static List<PageBenchReport.Goal> evaluate(List<PageBenchReport.Row> rows, List<PageBenchReport.PairedRatio> paired) {
        List<PageBenchReport.Goal> goals = new ArrayList<>();
        for (String size : PageBench.SIZES) {
            goals.add(goal("copy vs C memcpy (" + size + ")", paired(paired, "copy", size, "c_memcpy"),
                    find(rows, "copy", size).map(PageBenchReport.Row::ratioToC), 0.95));
            goals.add(goal("zero vs C memset (" + size + ")", paired(paired, "zero", size, "c_memset"),
                    find(rows, "zero", size).map(PageBenchReport.Row::ratioToC), 1.0));
            Optional<PageBenchReport.Row> copy = find(rows, "copy", size);
            for (String op : List.of("isZero", "mismatch", "verifyPattern")) {
                // Bandwidth relative to copy: copy's ns per page over this op's ns per page.
                Optional<Double> rel = find(rows, op, size).flatMap(r -> copy.map(c -> c.nsPerPage() / r.nsPerPage()));
                goals.add(goal(op + " vs copy bandwidth (" + size + ")", paired(paired, op, size, "java_copy"), rel, 0.9));
            }
        }
        for (String op : List.of("swizzle", "maliTile", "maliDetile", "blockLinearTile", "blockLinearDetile")) {
            goals.add(goal(op + " vs scalar (l1)", Optional.empty(),
                    find(rows, op, "l1").map(PageBenchReport.Row::ratioToScalar), 4.0));
        }
        double maxAlloc = rows.stream().filter(r -> !r.op().startsWith("jdk_"))
                .mapToDouble(PageBenchReport.Row::allocBytesPerOp).filter(d -> !Double.isNaN(d)).max().orElse(Double.NaN);
        // JMH's gc.alloc.rate.norm carries profiler noise of a fraction of a byte; below half a
        // byte per operation nothing was allocated.
        goals.add(new PageBenchReport.Goal("max bytes allocated per op, engine ops (below 0.5 is none)",
                Double.isNaN(maxAlloc) ? null : maxAlloc, 0.5, Double.isNaN(maxAlloc) ? null : maxAlloc < 0.5, "jmh"));
        return goals;
    }

    private static Optional<PageBenchReport.Row> find(List<PageBenchReport.Row> rows, String op, String size) {
        return rows.stream().filter(r -> r.op().equals(op) && r.size().equals(size)).findFirst();
    }

    private static Optional<PageBenchReport.PairedRatio> paired(List<PageBenchReport.PairedRatio> paired, String op,
                                                                String size, String baseline) {
        return paired.stream().filter(p -> p.op().equals(op) && p.size().equals(size) && p.baseline().equals(baseline)
                && p.ratioMedian() != null).findFirst();
    }

    private static PageBenchReport.Goal goal(String name, Optional<PageBenchReport.PairedRatio> paired,
                                             Optional<Double> jmh, double target) {
        if (paired.isPresent()) {
            PageBenchReport.PairedRatio p = paired.get();
            boolean undecided = p.ratioCi95Low() < target && target <= p.ratioCi95High();
            String basis = String.format(java.util.Locale.ROOT, "paired median (IQR %.2f-%.2f, 95%% CI %.2f-%.2f, %d rounds%s)",
                    p.ratioP25(), p.ratioP75(), p.ratioCi95Low(), p.ratioCi95High(), p.rounds(),
                    undecided ? "; undecided: the CI contains the target" : "");
            return new PageBenchReport.Goal(name, p.ratioMedian(), target, p.ratioMedian() >= target, basis);
        }
        Double m = jmh.orElse(null);
        return new PageBenchReport.Goal(name, m, target, m == null ? null : m >= target, "jmh");
    }
}
