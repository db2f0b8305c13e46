package dev.gpuemu.bench.pages;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/// The paired measurement behind the copy/zero-vs-C and scan-vs-copy goals of `gpuemu bench
/// pages`: Java and C (or two Java operations) are timed back to back, round after round, on the
/// same native buffers in the same process, and every round gives one ratio. Whatever drifts on
/// a shared VM (steal time, host memory bandwidth, turbo) drifts for both sides of a round alike,
/// so the median over the rounds is stable where separate forks minutes apart were not.
///
/// - Warm-up: every batch runs for [Config#warmupNanos] first (Java needs C2; C needs nothing
///   but warm caches and TLBs), then [Config#rounds] rounds.
/// - A round runs each pair's two batches adjacent in time, the op first in even rounds and the
///   baseline first in odd ones, and records `baseline time / op time` (above 1: op is faster).
///   Rounds go round-robin over the pairs, so every pair's rounds span the whole run.
/// - Time is the thread's CPU time (`ThreadMXBean.getCurrentThreadCpuTime`, a syscall of about
///   1 us against batches of milliseconds): a batch preempted by another process on this 2-core
///   machine is not charged for the time it waited. Memory stalls still count, as they should.
///   Wall-time ratios are kept beside them as a cross-check (`wall_ratio_*`).
/// - l1 batches repeat page 0 ([Config#l1Pages] times); dram batches take the next
///   [Config#dramPages] pages of a window that advances through the buffers after *every* batch
///   and wraps at the end. A page is therefore touched again only after all pages of every
///   buffer in play have been streamed once (>= 1 GiB per buffer in the full run, against a
///   480 MiB last-level cache), so neither side of a pair finds the other's data in cache.
///
/// ## Lifecycle
/// [#run] allocates the buffers and builds the C kernels, measures, and frees both before it
/// returns (also on failure).
///
/// ## Thread safety
/// Static and stateless; each [#run] confines its buffers and kernels to the calling thread.
public final class PairedRatios {
    /// Ops and baselines: `{op, baseline, kind}`. Names are [PairedBuffers]'s batches, or
    /// `java_copy` for the Java copy as a baseline.
    static final List<String[]> PAIRS = List.of(
            new String[] {"copy", "c_memcpy", "goal"},
            new String[] {"zero", "c_memset", "goal"},
            new String[] {"isZero", "java_copy", "goal"},
            new String[] {"mismatch", "java_copy", "goal"},
            new String[] {"verifyPattern", "java_copy", "goal"},
            new String[] {"copy", "c_vector_copy", "diagnostic"},
            new String[] {"zero", "c_vector_zero", "diagnostic"},
            new String[] {"c_memcpy", "c_vector_copy", "diagnostic"},
            new String[] {"c_memset", "c_vector_zero", "diagnostic"},
            new String[] {"c_rep_movsb", "c_vector_copy", "diagnostic"},
            new String[] {"c_rep_stosb", "c_vector_zero", "diagnostic"},
            new String[] {"c_memcmp", "c_memcpy", "diagnostic"},
            new String[] {"c_is_zero", "c_memcpy", "diagnostic"},
            new String[] {"c_is_zero4", "c_memcpy", "diagnostic"},
            new String[] {"isZero", "c_is_zero4", "diagnostic"},
            new String[] {"mismatch", "c_memcmp", "diagnostic"});

    private PairedRatios() {
    }

    /// Settings of one paired run.
    ///
    /// @param bufferBytes  size of each of the three buffers
    /// @param l1Pages      pages per l1 batch
    /// @param dramPages    pages per dram batch (at most the pages of one buffer)
    /// @param warmupNanos  warm-up time per Java batch (C batches get a tenth)
    /// @param rounds       measured rounds per pair
    public record Config(long bufferBytes, int l1Pages, int dramPages, long warmupNanos, int rounds) {
        /// Full run: 1.5 s warm-up per Java batch, 101 rounds, batches of ~1-2 ms (short, so the
        /// two sides of a round are close in time; still about 1000x the timer's cost).
        public static Config full(int dramMiB) {
            return new Config((long) dramMiB << 20, 40_000, 1024, 1_500_000_000L, 101);
        }

        /// Quick run (a smoke test): short warm-up, 15 rounds.
        public static Config quick(int dramMiB) {
            return new Config((long) dramMiB << 20, 40_000, 1024, 250_000_000L, 15);
        }
    }

    /// Runs every pair with the `gcc` on PATH. C pairs get null ratios and the reason when
    /// there is no gcc or the kernels do not build; the Java-vs-Java pairs run regardless.
    public static List<PageBenchReport.PairedRatio> run(Config c, PrintWriter out) {
        return run(c, CBaseline.findOnPath("gcc"), out);
    }

    static List<PageBenchReport.PairedRatio> run(Config c, Optional<Path> gcc, PrintWriter out) {
        PageKernels kernels = null;
        String reason = null;
        if (gcc.isEmpty()) {
            reason = "gcc not found on PATH, so there are no C kernels";
        } else {
            try {
                kernels = PageKernels.load(gcc.get());
            } catch (IOException e) {
                reason = "C kernels unavailable: " + e.getMessage();
            }
        }
        try (PairedBuffers buffers = new PairedBuffers(c.bufferBytes())) {
            return measure(c, buffers, kernels, reason, out);
        } finally {
            if (kernels != null) {
                kernels.close();
            }
        }
    }

    static List<PageBenchReport.PairedRatio> measure(Config c, PairedBuffers buffers, PageKernels kernels,
                                                     String reason, PrintWriter out) {
        if (c.dramPages() > buffers.pages() || c.l1Pages() < 1 || c.dramPages() < 1 || c.rounds() < 1) {
            throw new IllegalArgumentException("bad paired config " + c + " for " + buffers.pages() + " pages");
        }
        Map<String, PairedBuffers.Batch> batches = buffers.java();
        if (kernels != null) {
            batches.putAll(buffers.c(kernels));
        }
        batches.put("java_copy", batches.get("copy"));
        Timer timer = new Timer(c, buffers.pages());
        List<Pair> pairs = new ArrayList<>();
        List<PageBenchReport.PairedRatio> missing = new ArrayList<>();
        for (String size : PageBench.SIZES) {
            for (String[] p : PAIRS) {
                PairedBuffers.Batch op = batches.get(p[0]);
                PairedBuffers.Batch base = batches.get(p[1]);
                if (op == null || base == null) {
                    missing.add(new PageBenchReport.PairedRatio(p[0], size, p[1], p[2], null, null, null, null, null, 0, null, null,
                            null, null, null, reason));
                } else {
                    pairs.add(new Pair(p[0], size, p[1], p[2], op, base, new double[c.rounds()][4]));
                }
            }
        }
        out.printf("gpuemu bench pages: paired rounds (%d pairs x %d rounds%s)...%n", pairs.size(), c.rounds(),
                kernels == null ? ", no C: " + reason : ", C kernels " + kernels.vectorBits() + "-bit, "
                        + kernels.compiler());
        out.flush();
        // Warm-up: each distinct batch of each size once (Java batches long enough for C2).
        Set<String> warmed = new LinkedHashSet<>();
        for (Pair p : pairs) {
            for (String name : new String[] {p.op, p.baseline}) {
                if (warmed.add(name + "/" + p.size)) {
                    boolean java = !name.startsWith("c_");
                    timer.warm(batches.get(name), p.size, java ? c.warmupNanos() : c.warmupNanos() / 10);
                }
            }
        }
        for (int r = 0; r < c.rounds(); r++) {
            for (Pair p : pairs) {
                if (r % 2 == 0) {
                    timer.time(p.opBatch, p.size, p.ns[r], 0);
                    timer.time(p.baseBatch, p.size, p.ns[r], 1);
                } else {
                    timer.time(p.baseBatch, p.size, p.ns[r], 1);
                    timer.time(p.opBatch, p.size, p.ns[r], 0);
                }
            }
        }
        List<PageBenchReport.PairedRatio> result = new ArrayList<>();
        for (Pair p : pairs) {
            result.add(p.result(timer.pagesPerBatch(p.size)));
        }
        result.addAll(missing);
        return result;
    }

    /// One op against one baseline in one size class; per round and batch,
    /// `ns[round] = {op cpu, baseline cpu, op wall, baseline wall}`.
    private record Pair(String op, String size, String baseline, String kind, PairedBuffers.Batch opBatch,
                        PairedBuffers.Batch baseBatch, double[][] ns) {
        PageBenchReport.PairedRatio result(int pagesPerBatch) {
            double[] ratio = new double[ns.length];
            double[] wall = new double[ns.length];
            double[] opNs = new double[ns.length];
            double[] baseNs = new double[ns.length];
            for (int r = 0; r < ns.length; r++) {
                ratio[r] = ns[r][1] / ns[r][0];
                wall[r] = ns[r][3] / ns[r][2];
                opNs[r] = ns[r][0] / pagesPerBatch;
                baseNs[r] = ns[r][1] / pagesPerBatch;
            }
            PairStats s = PairStats.of(ratio);
            PairStats w = PairStats.of(wall);
            return new PageBenchReport.PairedRatio(op, size, baseline, kind, s.median(), s.p25(), s.p75(), s.ciLow(),
                    s.ciHigh(), s.n(),
                    PairStats.of(opNs).median(), PairStats.of(baseNs).median(), w.median(), w.p25(), w.p75(), null);
        }
    }

    /// Runs batches and hands out dram windows; every batch advances the window.
    private static final class Timer {
        private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
        private final Config c;
        private final int bufferPages;
        private int cursor;

        Timer(Config c, int bufferPages) {
            if (!MX.isCurrentThreadCpuTimeSupported()) {
                throw new IllegalStateException("this JVM cannot measure thread CPU time");
            }
            MX.setThreadCpuTimeEnabled(true);
            this.c = c;
            this.bufferPages = bufferPages;
        }

        int pagesPerBatch(String size) {
            return "l1".equals(size) ? c.l1Pages() : c.dramPages();
        }

        /// Runs one batch; stores its CPU time in `into[slot]` and its wall time in `into[slot + 2]` (ns).
        void time(PairedBuffers.Batch b, String size, double[] into, int slot) {
            boolean l1 = "l1".equals(size);
            int n = pagesPerBatch(size);
            int first = 0;
            if (!l1) {
                if (cursor + n > bufferPages) {
                    cursor = 0;
                }
                first = cursor;
                cursor += n;
            }
            long t0 = System.nanoTime();
            long c0 = MX.getCurrentThreadCpuTime();
            long bad = b.run(first, n, l1 ? 0 : 1);
            long c1 = MX.getCurrentThreadCpuTime();
            long t1 = System.nanoTime();
            if (bad != 0) {
                throw new IllegalStateException(bad + " pages failed a scan: the paired buffers were corrupted");
            }
            // At least 1 ns: a tiny test batch can fall below the CPU clock's resolution.
            into[slot] = Math.max(c1 - c0, 1);
            into[slot + 2] = Math.max(t1 - t0, 1);
        }

        void warm(PairedBuffers.Batch b, String size, long nanos) {
            double[] scratch = new double[4];
            long end = System.nanoTime() + nanos;
            do {
                time(b, size, scratch, 0);
            } while (System.nanoTime() < end);
        }
    }
}
