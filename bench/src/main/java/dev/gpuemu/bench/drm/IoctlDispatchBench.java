package dev.gpuemu.bench.drm;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/// Runs [IoctlDispatchBenchmark] with the GC profiler and prints [IoctlDispatchReport]: ns/op,
/// B/op and the guarded/unguarded ratios, every case measured side by side in one run.
///
/// ```bash
/// ./mvnw -q -o -pl bench -am package -DskipTests
/// /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -cp bench/target/benchmarks.jar \
///     dev.gpuemu.bench.drm.IoctlDispatchBench -f 1 -wi 3 -w 1s -i 5 -r 1s
/// ```
///
/// Arguments are JMH's command line (`-p guard=SRCU,RWLOCK,NONE`, a benchmark regexp such as
/// `IoctlDispatchBenchmark.getCap`, ...); without a regexp the whole class runs, and `-prof gc`
/// is always added.
public final class IoctlDispatchBench {
    private static final String ALLOC = "gc.alloc.rate.norm";

    private IoctlDispatchBench() {
    }

    public static void main(String[] args) throws Exception {
        CommandLineOptions cli = new CommandLineOptions(args);
        OptionsBuilder b = new OptionsBuilder();
        b.parent(cli);
        if (cli.getIncludes().isEmpty()) {
            b.include(IoctlDispatchBenchmark.class.getName() + "\\.");
        }
        if (cli.getProfilers().stream().noneMatch(p -> p.getKlass().equals("gc") || p.getKlass().endsWith("GCProfiler"))) {
            b.addProfiler(GCProfiler.class);
        }
        Collection<RunResult> results = new Runner(b.build()).run();
        System.out.println();
        System.out.print(report(results).format());
    }

    /// The report of JMH results of [IoctlDispatchBenchmark].
    static IoctlDispatchReport report(Collection<RunResult> results) {
        List<IoctlDispatchReport.Row> rows = new ArrayList<>();
        for (RunResult r : results) {
            String bench = r.getParams().getBenchmark();
            String method = bench.substring(bench.lastIndexOf('.') + 1);
            String core = r.getParams().getParam("coreGuarded");
            Result<?> alloc = r.getSecondaryResults().get(ALLOC);
            rows.add(new IoctlDispatchReport.Row(method, r.getParams().getParam("guard"),
                    core == null ? null : Boolean.valueOf(core), r.getPrimaryResult().getScore(),
                    r.getPrimaryResult().getScoreError(), alloc == null ? Double.NaN : alloc.getScore()));
        }
        return new IoctlDispatchReport(rows);
    }
}
