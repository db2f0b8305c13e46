package dev.gpuemu.bench.pages;

import java.util.List;

/// The result of `gpuemu bench pages`, as written to `--json` (field names in snake_case).
///
/// @param command    the command line that produced it
/// @param quick      whether the quick settings were used
/// @param machine    CPU, cores, OS and JVM of the run
/// @param cBaseline  the C memcpy/memset baseline, or why there is none
/// @param results    one entry per operation and size class
/// @param goals      the goals evaluated on these results
public record PageBenchReport(String command, boolean quick, String machine, CBaseline cBaseline, List<Row> results,
                              List<Goal> goals) {

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

    /// A goal: what was measured against what target.
    ///
    /// @param goal      the goal in words
    /// @param measured  the measured ratio or amount
    /// @param target    the target
    /// @param met       whether it holds (null when it could not be evaluated)
    public record Goal(String goal, Double measured, double target, Boolean met) {
    }
}
