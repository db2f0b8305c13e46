package dev.gpuemu.bench.pages;

import java.util.List;

/// The result of `gpuemu bench pages`, as written to `--json` (field names in snake_case).
///
/// @param command    the command line that produced it
/// @param quick      whether the quick settings were used
/// @param machine    CPU, cores, OS and JVM of the run
/// @param cBaseline  the C memcpy/memset baseline, or why there is none
/// @param results    one entry per operation and size class (JMH)
/// @param paired     the paired rounds ([PairedRatios]): goal pairs and diagnostics
/// @param goals      the goals evaluated on these results
public record PageBenchReport(String command, boolean quick, String machine, CBaseline cBaseline, List<Row> results,
                              List<PairedRatio> paired, List<Goal> goals) {

    /// One operation in one size class, for the Vector API engine.
    ///
    /// @param op              operation name (`copy`, `zero`, ..., `jdk_copy`, `jdk_fill`)
    /// @param size            `l1` or `dram`
    /// @param nsPerPage       ns per 4 KiB page
    /// @param gbPerS          4096 bytes / ns per page
    /// @param ratioToC        C time / our time (above 1 = faster than C), null without a C counterpart
    /// @param ratioToScalar   scalar Java time / vector time, null for JDK rows
    /// @param allocBytesPerOp bytes allocated per operation after warm-up (`gc.alloc.rate.norm`)
    public record Row(String op, String size, double nsPerPage, double gbPerS, Double ratioToC, Double ratioToScalar,
                      double allocBytesPerOp) {
    }

    /// One op timed against one baseline in alternating adjacent batches ([PairedRatios]).
    ///
    /// @param op                 the measured batch (`copy`, `isZero`, `c_memset`, ...)
    /// @param size               `l1` or `dram`
    /// @param baseline           what it is paired with (`c_memcpy`, `java_copy`, `c_vector_zero`, ...)
    /// @param kind               `goal` (feeds a goal) or `diagnostic`
    /// @param ratioMedian        median over the rounds of baseline time / op time (above 1 = op faster),
    ///                           from the thread's CPU time; null when the pair could not run
    /// @param ratioP25           its 25th percentile
    /// @param ratioP75           its 75th percentile
    /// @param ratioCi95Low       lower end of the median's 95 % confidence interval ([PairStats])
    /// @param ratioCi95High      upper end of it
    /// @param rounds             rounds measured (0 when the pair could not run)
    /// @param opNsPerPage        median CPU ns per page of the op's batches
    /// @param baselineNsPerPage  median CPU ns per page of the baseline's batches
    /// @param wallRatioMedian    the same ratio from wall time, as a cross-check (median)
    /// @param wallRatioP25       its 25th percentile
    /// @param wallRatioP75       its 75th percentile
    /// @param reason             why the pair could not run; null when it ran
    public record PairedRatio(String op, String size, String baseline, String kind, Double ratioMedian,
                              Double ratioP25, Double ratioP75, Double ratioCi95Low, Double ratioCi95High, int rounds, Double opNsPerPage,
                              Double baselineNsPerPage, Double wallRatioMedian, Double wallRatioP25,
                              Double wallRatioP75, String reason) {
    }

    /// A goal: what was measured against what target.
    ///
    /// @param goal      the goal in words
    /// @param measured  the measured ratio or amount
    /// @param target    the target
    /// @param met       whether it holds (null when it could not be evaluated)
    /// @param basis     where `measured` comes from: `paired median (IQR a-b, 95% CI c-d, n rounds)`
    ///                  or `jmh`; with the paired median, `undecided` is added when the confidence
    ///                  interval contains the target
    public record Goal(String goal, Double measured, double target, Boolean met, String basis) {
    }
}
