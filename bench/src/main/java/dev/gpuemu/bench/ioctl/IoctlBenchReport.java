package dev.gpuemu.bench.ioctl;

import dev.gpuemu.kernel.drm.GuardStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/// The results of one `gpuemu bench ioctl` run: per guard, every (threads, ioctl) phase; the
/// host's syscall floor; the goal ratios of docs/PERFORMANCE.md computed from phases measured
/// side by side in this run.
///
/// @param image           image name
/// @param node            the DRM node (`/dev/dri/renderD128`)
/// @param driver          its driver (from `DRM_IOCTL_VERSION`)
/// @param sharedFile      all threads on one open file (else one process and file per thread)
/// @param guardCoreIoctls core ioctls ran inside the guard too (so null ioctls measure it)
/// @param guards          per guard strategy, in run order
/// @param floor           the syscall floor
/// @param batch           the null ioctls timed like the floor ([BatchTiming]: one thread, the
///                        SRCU guard, whole rounds timed), per kind; empty when not measured
/// @param command         the command line that produced the report
/// @param problems        emulator problems seen at teardown (leaks, oopses, clock failures); a
///                        clean run has none
public record IoctlBenchReport(String image, String node, String driver, boolean sharedFile, boolean guardCoreIoctls,
                               List<GuardRuns> guards, SyscallFloor floor, java.util.Map<IoctlKind, BatchTiming> batch,
                               String command, List<String> problems) {
    /// Goal: SRCU costs at most this fraction over NONE on null ioctls.
    public static final double MAX_SRCU_OVERHEAD = 0.15;
    /// Goal: 2 threads reach at least this multiple of one thread (null ioctls, SRCU).
    public static final double MIN_SCALING_2T = 1.8;

    public IoctlBenchReport {
        guards = List.copyOf(guards);
        batch = java.util.Map.copyOf(batch);
        problems = List.copyOf(problems);
    }

    /// The phases of one guard strategy.
    public record GuardRuns(GuardStrategy guard, List<PhaseResult> runs) {
        public GuardRuns {
            runs = List.copyOf(runs);
        }

        /// The phase of `kind` with `threads` threads that ran.
        public Optional<PhaseResult> find(IoctlKind kind, int threads) {
            return runs.stream().filter(r -> r.kind() == kind && r.threads() == threads && r.ran()).findFirst();
        }

        /// ops/s relative to one thread (same guard and kind), or NaN without a one-thread phase.
        public double scaling(PhaseResult r) {
            return find(r.kind(), 1).map(one -> r.opsPerSec() / one.opsPerSec()).orElse(Double.NaN);
        }
    }

    /// One goal ratio: `value` against `target`; `met` null when the run lacked the phases.
    public record Goal(String name, String ioctl, double value, String target, Boolean met, String detail) {
    }

    public Optional<GuardRuns> guard(GuardStrategy g) {
        return guards.stream().filter(x -> x.guard() == g).findFirst();
    }

    /// The goal ratios, per null ioctl that ran.
    public List<Goal> goals() {
        List<Goal> out = new ArrayList<>();
        Optional<GuardRuns> srcu = guard(GuardStrategy.SRCU);
        Optional<GuardRuns> none = guard(GuardStrategy.NONE);
        Optional<GuardRuns> rw = guard(GuardStrategy.RWLOCK);
        for (IoctlKind k : IoctlKind.values()) {
            if (!k.nullIoctl()) {
                continue;
            }
            Optional<PhaseResult> s1 = srcu.flatMap(g -> g.find(k, 1));
            Optional<PhaseResult> s2 = srcu.flatMap(g -> g.find(k, 2));
            if (s1.isEmpty() && s2.isEmpty()) {
                continue;
            }
            Optional<PhaseResult> n1 = none.flatMap(g -> g.find(k, 1));
            if (s1.isPresent() && n1.isPresent()) {
                double over = n1.get().opsPerSec() / s1.get().opsPerSec() - 1;
                out.add(new Goal("srcu_overhead_over_none", k.mixName(), over, "<= 0.15", over <= MAX_SRCU_OVERHEAD,
                        String.format("1 thread: SRCU %.0f ns/op, NONE %.0f ns/op", nsPerOp(s1.get()), nsPerOp(n1.get()))));
            }
            if (s1.isPresent() && s2.isPresent()) {
                double sc = s2.get().opsPerSec() / s1.get().opsPerSec();
                out.add(new Goal("scaling_2_threads", k.mixName(), sc, ">= 1.8", sc >= MIN_SCALING_2T,
                        String.format("SRCU: %.0f ops/s at 1 thread, %.0f at 2; CPU share at 2 threads %.2f%s",
                                s1.get().opsPerSec(), s2.get().opsPerSec(), s2.get().cpuShare(),
                                s2.get().cpuShare() < 0.9 ? " (host busy: threads lacked a CPU)" : "")));
            }
            Optional<PhaseResult> r2 = rw.flatMap(g -> g.find(k, 2));
            if (s2.isPresent() && r2.isPresent()) {
                double ratio = s2.get().opsPerSec() / r2.get().opsPerSec();
                out.add(new Goal("rwlock_cost_vs_srcu_2_threads", k.mixName(), ratio, "> 1 (RW lock measurably worse)",
                        ratio > 1, String.format("2 threads: SRCU %.0f ops/s, RWLOCK %.0f ops/s",
                        s2.get().opsPerSec(), r2.get().opsPerSec())));
            }
            BatchTiming bt = batch.get(k);
            if (bt != null && bt.errors() == 0 && floor.available()) {
                // Same method on both sides: whole rounds of back-to-back calls, median per call.
                double ratio = bt.medianNs() / floor.ns();
                out.add(new Goal("null_ioctl_vs_syscall_floor", k.mixName(), ratio, "< 1 (cheaper than a real syscall)",
                        ratio < 1, String.format("SRCU 1 thread, timed like the floor: %.1f ns/call (rounds %.1f..%.1f);"
                                + " host ioctl ENOTTY %.1f ns%s", bt.medianNs(), bt.minNs(), bt.maxNs(), floor.ns(),
                                s1.map(r -> String.format("; per-call timed phase %.0f ns/op", nsPerOp(r))).orElse(""))));
            } else if (s1.isPresent() && floor.available()) {
                double ratio = nsPerOp(s1.get()) / floor.ns();
                out.add(new Goal("null_ioctl_vs_syscall_floor", k.mixName(), ratio, "< 1 (cheaper than a real syscall)",
                        ratio < 1, String.format("SRCU 1 thread %.0f ns/op, per-call timed (includes a clock read and a"
                                + " histogram update per op); host ioctl ENOTTY %.0f ns", nsPerOp(s1.get()), floor.ns())));
            }
        }
        return out;
    }

    /// Mean ns per op of one thread in `r` (threads / ops per second).
    public static double nsPerOp(PhaseResult r) {
        return r.threads() * 1e9 / r.opsPerSec();
    }

    /// The tables and the summary.
    public String format() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("gpuemu bench ioctl: image %s, node %s (driver %s), %s, core ioctls %s%n", image, node,
                driver, sharedFile ? "one shared file" : "one process and file per thread",
                guardCoreIoctls ? "guarded" : "unguarded (as Linux)"));
        for (GuardRuns g : guards) {
            b.append(String.format("%nguard %s%s%n", g.guard().name().toLowerCase(),
                    g.guard() == GuardStrategy.NONE ? "  ** UNSAFE BASELINE: unplug does not wait for running ioctls **" : ""));
            b.append(String.format("  %-7s %-17s %12s %9s %9s %9s %8s %8s %5s%n", "threads", "ioctl", "ops/s", "p50 ns",
                    "p99 ns", "p99.9 ns", "B/op", "scaling", "cpu"));
            for (PhaseResult r : g.runs()) {
                if (!r.ran()) {
                    b.append(String.format("  %-7d %-17s unsupported: %s%n", r.threads(), r.kind().mixName(), r.unsupported()));
                    continue;
                }
                double sc = g.scaling(r);
                b.append(String.format("  %-7d %-17s %12.0f %9d %9d %9d %8.1f %8s %5.2f%s%n", r.threads(), r.kind().mixName(),
                        r.opsPerSec(), r.latencyNs(50), r.latencyNs(99), r.latencyNs(99.9), r.allocBytesPerOp(),
                        Double.isNaN(sc) ? "-" : String.format("%.2fx", sc), r.cpuShare(),
                        r.errors() > 0 ? "  (" + r.errors() + " errors, first " + r.firstError() + ")" : ""));
            }
        }
        b.append(String.format("%nsyscall floor: %s%n", floor.available()
                ? String.format("%.1f ns per ioctl(/dev/null) = ENOTTY (median of rounds %.1f..%.1f%s; %s)", floor.ns(),
                floor.minNs(), floor.maxNs(), Double.isNaN(floor.otherNs()) ? ""
                        : String.format("; the other measurement of the run: %.1f", floor.otherNs()), floor.compiler())
                : "unavailable: " + floor.reason()));
        batch.entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(e -> b.append(String.format(
                "null ioctl timed like the floor: %-8s %.1f ns per call (SRCU, 1 thread, median of rounds %.1f..%.1f%s)%n",
                e.getKey().mixName(), e.getValue().medianNs(), e.getValue().minNs(), e.getValue().maxNs(),
                e.getValue().errors() > 0 ? ", " + e.getValue().errors() + " errors" : "")));
        List<Goal> goals = goals();
        if (!goals.isEmpty()) {
            b.append(String.format("%ngoals (ratios of phases measured side by side in this run):%n"));
            for (Goal g : goals) {
                b.append(String.format("  %-30s %-8s %7.3f  target %-34s %s  (%s)%n", g.name(), g.ioctl(), g.value(),
                        g.target(), g.met() ? "met" : "MISSED", g.detail()));
            }
        }
        for (String p : problems) {
            b.append(String.format("PROBLEM: %s%n", p));
        }
        return b.toString();
    }
}
