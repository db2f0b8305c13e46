package dev.gpuemu.bench.pages;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/// `gpuemu bench pages`: runs the C baseline and the JMH page-engine suite in one run, then the
/// paired rounds ([PairedRatios]), prints a table of ns/page, GB/s and the ratios plus the paired
/// table, evaluates the goals, and optionally writes JSON. The copy/zero-vs-C and scan-vs-copy
/// goals use the paired median where it exists (their `basis` says which); the JMH rows stay.
///
/// Quick mode runs JMH in-process with short iterations and measures the scalar reference only in
/// the l1 class (under a minute on 2 cores; a smoke run whose numbers are indicative). The full
/// mode forks one JVM per benchmark with the annotations' iteration counts and measures every
/// combination; docs/PERFORMANCE.md records full runs.
public final class PageBench {
    /// Operations of [PageEngineBenchmark], in report order.
    static final List<String> OPS = List.of("zero", "fill64", "copy", "mismatch", "isZero", "verifyPattern", "crc32c",
            "swizzle", "maliTile", "maliDetile", "blockLinearTile", "blockLinearDetile");
    static final List<String> SIZES = List.of("l1", "dram");
    private static final String ALLOC = "gc.alloc.rate.norm";

    private PageBench() {
    }

    /// Settings of one run.
    ///
    /// @param quick    short in-process run
    /// @param dramMiB  size of each streaming buffer
    /// @param command  the command line, for the report
    public record Settings(boolean quick, int dramMiB, String command) {
    }

    /// Runs everything and returns the report; progress and the table go to `out`.
    public static PageBenchReport run(Settings s, PrintWriter out) throws RunnerException, IOException {
        out.println("gpuemu bench pages: C baseline (gcc -O2, glibc memcpy/memset)...");
        out.flush();
        CBaseline before = CBaseline.measure(s.dramMiB(), s.quick() ? 3 : 7);
        if (before.reason() != null) {
            out.println("  no C baseline: " + before.reason() + "; ratio_to_c will be null");
        }
        Path log = Files.createTempFile("gpuemu-bench-pages-", ".log");
        out.println("gpuemu bench pages: JMH " + (s.quick() ? "(quick, in-process)" : "(forked)")
                + ", progress in " + log + "...");
        out.flush();
        Collection<RunResult> results = new ArrayList<>();
        try {
            if (s.quick()) {
                // Quick: scalar trials only where a goal compares against them (the l1 class).
                results.addAll(new Runner(options(s, log).param("size", "l1").build()).run());
                results.addAll(new Runner(options(s, log).param("size", "dram").param("impl", "vector").build()).run());
            } else {
                results.addAll(new Runner(options(s, log).build()).run());
            }
        } catch (RunnerException e) {
            throw new RunnerException("JMH failed; its log is " + log + ": " + e.getMessage(), e);
        }
        Files.deleteIfExists(log);
        // Host memory bandwidth drifts on a shared VM: measure C again after JMH and use the mean,
        // reporting both runs so the drift is visible.
        CBaseline c = before;
        if (before.reason() == null) {
            out.println("gpuemu bench pages: C baseline again (drift check)...");
            out.flush();
            c = CBaseline.mean(before, CBaseline.measure(s.dramMiB(), s.quick() ? 3 : 7));
        }
        // Paired rounds last: Java and C (or two Java ops) back to back, alternating, in this JVM.
        List<PageBenchReport.PairedRatio> paired = PairedRatios.run(
                s.quick() ? PairedRatios.Config.quick(s.dramMiB()) : PairedRatios.Config.full(s.dramMiB()), out);
        PageBenchReport report = build(s, c, results, paired);
        print(report, out);
        return report;
    }

    /// JMH options. Its normal output (progress, every fork's JVM notices, errors) goes to `log`,
    /// so the console shows only the report and the log shows progress.
    private static ChainedOptionsBuilder options(Settings s, Path log) {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .output(log.toString())
                .include(Pattern.quote(PageEngineBenchmark.class.getName()) + "\\.")
                .include(Pattern.quote(JdkBulkBenchmark.class.getName()) + "\\.")
                .param("dramMiB", Integer.toString(s.dramMiB()))
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(true)
                .verbosity(VerboseMode.NORMAL);
        if (s.quick()) {
            // In-process: a forked JVM per trial costs ~3 s here, too much for a one-minute run.
            // The warm-up must still reach C2 for the Vector API code (else it runs boxed).
            b.forks(0).warmupIterations(3).warmupTime(TimeValue.milliseconds(150))
                    .measurementIterations(2).measurementTime(TimeValue.milliseconds(100));
        }
        return b;
    }

    static PageBenchReport build(Settings s, CBaseline c, Collection<RunResult> results,
                                 List<PageBenchReport.PairedRatio> paired) {
        Map<String, RunResult> byKey = new HashMap<>();
        for (RunResult r : results) {
            String bench = r.getParams().getBenchmark();
            String method = bench.substring(bench.lastIndexOf('.') + 1);
            String impl = r.getParams().getParam("impl");
            byKey.put(method + "/" + r.getParams().getParam("size") + "/" + (impl == null ? "jdk" : impl), r);
        }
        List<PageBenchReport.Row> rows = new ArrayList<>();
        for (String op : OPS) {
            for (String size : SIZES) {
                RunResult v = byKey.get(op + "/" + size + "/vector");
                RunResult sc = byKey.get(op + "/" + size + "/scalar");
                if (v == null) {
                    continue;
                }
                double ns = v.getPrimaryResult().getScore();
                Double toC = switch (op) {
                    case "copy" -> c.get("memcpy", size).map(x -> x / ns).orElse(null);
                    case "zero" -> c.get("memset", size).map(x -> x / ns).orElse(null);
                    default -> null;
                };
                Double toScalar = sc == null ? null : sc.getPrimaryResult().getScore() / ns;
                rows.add(new PageBenchReport.Row(op, size, ns, PageEngineBenchmark.PAGE / ns, toC, toScalar, alloc(v)));
            }
        }
        for (String[] jdk : new String[][] {{"segmentCopy", "jdk_copy", "memcpy"}, {"segmentFill", "jdk_fill", "memset"}}) {
            for (String size : SIZES) {
                RunResult r = byKey.get(jdk[0] + "/" + size + "/jdk");
                if (r != null) {
                    double ns = r.getPrimaryResult().getScore();
                    rows.add(new PageBenchReport.Row(jdk[1], size, ns, PageEngineBenchmark.PAGE / ns,
                            c.get(jdk[2], size).map(x -> x / ns).orElse(null), null, alloc(r)));
                }
            }
        }
        return new PageBenchReport(s.command(), s.quick(), machine(), c, rows, paired, Goals.evaluate(rows, paired));
    }

    private static double alloc(RunResult r) {
        Result<?> a = r.getSecondaryResults().get(ALLOC);
        return a == null ? Double.NaN : Math.max(0, a.getScore());
    }

    static String machine() {
        return String.format("%d cores, %s %s, Java %s (%s)", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.version"), Runtime.version(),
                System.getProperty("java.vm.name"));
    }

    static void print(PageBenchReport r, PrintWriter out) {
        out.printf(Locale.ROOT, "%n%-18s %-5s %10s %9s %9s %10s %8s%n", "op", "size", "ns/page", "GB/s", "vs C",
                "vs scalar", "B/op");
        for (PageBenchReport.Row row : r.results()) {
            out.printf(Locale.ROOT, "%-18s %-5s %10.1f %9.1f %9s %10s %8.2f%n", row.op(), row.size(), row.nsPerPage(),
                    row.gbPerS(), ratio(row.ratioToC()), ratio(row.ratioToScalar()), row.allocBytesPerOp());
        }
        if (r.cBaseline().reason() == null) {
            out.printf(Locale.ROOT, "C baseline (%s, mean of a run before and after JMH): memcpy %.1f / %.1f ns,"
                            + " memset %.1f / %.1f ns per page (l1 / dram)%n",
                    r.cBaseline().compiler(), r.cBaseline().get("memcpy", "l1").orElse(Double.NaN),
                    r.cBaseline().get("memcpy", "dram").orElse(Double.NaN),
                    r.cBaseline().get("memset", "l1").orElse(Double.NaN),
                    r.cBaseline().get("memset", "dram").orElse(Double.NaN));
            r.cBaseline().drift().forEach((k, v) -> out.printf(Locale.ROOT, "  C drift %s: %+.0f%% from before to after%n", k, v));
        } else {
            out.println("C baseline: none (" + r.cBaseline().reason() + ")");
        }
        printPaired(r.paired(), out);
        out.println();
        for (PageBenchReport.Goal g : r.goals()) {
            out.printf(Locale.ROOT, "%-4s %s: %s (target %s%.2f; %s)%n", g.met() == null ? "n/a" : g.met() ? "MET" : "MISS",
                    g.goal(), g.measured() == null ? "not measured" : String.format(Locale.ROOT, "%.2f", g.measured()),
                    g.goal().startsWith("max bytes") ? "< " : ">= ", g.target(), g.basis());
        }
        out.println(r.machine());
        out.flush();
    }

    /// The paired table: ratio = baseline time / op time per round, median and IQR.
    static void printPaired(List<PageBenchReport.PairedRatio> paired, PrintWriter out) {
        if (paired.isEmpty()) {
            return;
        }
        out.printf(Locale.ROOT, "%nPaired rounds (ratio = baseline time / op time per round, thread CPU time,"
                + " adjacent batches, alternating order; wall = the same from wall time)%n");
        out.printf(Locale.ROOT, "%-10s %-14s %-5s %-14s %8s %11s %11s %6s %9s %9s %8s %11s%n", "kind", "op", "size",
                "baseline", "median", "IQR", "median CI", "rounds", "op ns/pg", "base ns/pg", "wall", "wall IQR");
        for (PageBenchReport.PairedRatio p : paired) {
            if (p.ratioMedian() == null) {
                out.printf(Locale.ROOT, "%-10s %-14s %-5s %-14s %8s  (%s)%n", p.kind(), p.op(), p.size(), p.baseline(),
                        "-", p.reason());
            } else {
                out.printf(Locale.ROOT, "%-10s %-14s %-5s %-14s %7.2fx %11s %11s %6d %9.1f %9.1f %7.2fx %11s%n",
                        p.kind(), p.op(), p.size(), p.baseline(), p.ratioMedian(),
                        String.format(Locale.ROOT, "%.2f-%.2f", p.ratioP25(), p.ratioP75()),
                        String.format(Locale.ROOT, "%.2f-%.2f", p.ratioCi95Low(), p.ratioCi95High()), p.rounds(),
                        p.opNsPerPage(), p.baselineNsPerPage(), p.wallRatioMedian(),
                        String.format(Locale.ROOT, "%.2f-%.2f", p.wallRatioP25(), p.wallRatioP75()));
            }
        }
    }

    private static String ratio(Double d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.2fx", d);
    }

    /// Writes the report as JSON (snake_case field names).
    public static void writeJson(PageBenchReport r, Path file) throws IOException {
        new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(file.toFile(), r);
    }
}
