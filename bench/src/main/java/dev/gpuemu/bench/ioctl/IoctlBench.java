package dev.gpuemu.bench.ioctl;

import dev.gpuemu.board.Machine;
import dev.gpuemu.board.MachineReport;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.drm.GuardStrategy;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/// `gpuemu bench ioctl`: ioctl throughput and latency of one DRM node under load from emulated
/// processes, for each guard strategy × thread count × ioctl kind, plus the host's syscall floor.
///
/// One machine per guard strategy is booted up front (the strategy is fixed per DRM core before
/// its first device), and the phases are interleaved — for each thread count, for each kind,
/// every guard in turn, the first guard rotating from phase to phase — so the guards are compared
/// side by side under the same host conditions.
/// Every phase runs its threads through the syscall layer (`open`/`ioctl` on the node, arguments
/// in emulated user memory), each thread on its own process and file, or all on one shared file.
/// The `--mix` weight of a kind multiplies its phase length (count or duration). A warm-up round
/// (each kind on each guard, one thread, the phase warm-up's length, discarded) precedes the
/// measured phases, and every phase warms up again before its measurement.
///
/// ## Thread safety
/// [#run] is called from one thread; it starts and joins the benchmark threads itself.
public final class IoctlBench {
    private IoctlBench() {
    }

    /// The image has no DRM node of the requested name (bad input, not an emulator failure).
    public static final class NoSuchNodeException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        NoSuchNodeException(String message) {
            super(message);
        }
    }

    /// What to run.
    ///
    /// @param image           image name (for the report)
    /// @param node            node path (`/dev/dri/renderD128`)
    /// @param threads         thread counts, in order
    /// @param count           measured ops per thread and phase (× weight), or 0 with a duration
    /// @param durationNs      measured time per phase (× weight), or 0 with a count
    /// @param mix             the kinds to run with their weights (>= 1), in order
    /// @param guards          the guard strategies
    /// @param sharedFile      all threads on one open file
    /// @param guardCoreIoctls core ioctls run inside the guard (so null ioctls measure it)
    /// @param floorCalls      ioctl calls per round of the syscall floor (0: do not measure it)
    /// @param command         the command line, for the report
    public record Settings(String image, String node, List<Integer> threads, long count, long durationNs,
                           Map<IoctlKind, Integer> mix, List<GuardStrategy> guards, boolean sharedFile,
                           boolean guardCoreIoctls, long floorCalls, String command) {
        public Settings {
            Objects.requireNonNull(node, "node");
            threads = List.copyOf(threads);
            mix = new LinkedHashMap<>(mix);
            guards = List.copyOf(guards);
            if (threads.isEmpty() || threads.stream().anyMatch(t -> t < 1)) {
                throw new IllegalArgumentException("thread counts must be >= 1: " + threads);
            }
            if ((count > 0) == (durationNs > 0)) {
                throw new IllegalArgumentException("exactly one of count and duration");
            }
            if (mix.isEmpty() || mix.values().stream().anyMatch(w -> w < 1)) {
                throw new IllegalArgumentException("mix weights must be >= 1: " + mix);
            }
            if (guards.isEmpty()) {
                throw new IllegalArgumentException("no guard strategy");
            }
        }
    }

    /// Runs the benchmark. `image` makes a fresh machine builder of the image each call.
    ///
    /// @throws NoSuchNodeException when the image has no node `settings.node()`
    public static IoctlBenchReport run(Settings s, Supplier<Machine.Builder> image, PrintWriter progress) throws KernelException {
        // The floor before and after the phases; the lower median is reported (SyscallFloor.lower).
        SyscallFloor floorBefore = s.floorCalls() > 0 ? SyscallFloor.measure(s.floorCalls(), 7) : null;
        List<GuardRig> rigs = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<GuardStrategy, List<PhaseResult>> results = new LinkedHashMap<>();
        String driver;
        Map<IoctlKind, BatchTiming> batch = new java.util.EnumMap<>(IoctlKind.class);
        try {
            for (GuardStrategy g : s.guards()) {
                rigs.add(GuardRig.boot(g, s.guardCoreIoctls(), image, s.node()));
                results.put(g, new ArrayList<>());
            }
            driver = rigs.getFirst().driver;
            progress.printf("%s: driver %s, guards %s, threads %s%n", s.node(), driver,
                    s.guards().stream().map(g -> g.name().toLowerCase()).toList(), s.threads());
            if (rigs.stream().anyMatch(r -> r.guard == GuardStrategy.NONE)) {
                progress.println("warning: guard 'none' is an unsafe baseline (unplug does not wait for running"
                        + " ioctls); it only measures what the guard costs");
            }
            // Warm-up round: every kind on every guard once, results discarded, so the JIT has seen
            // all of them before the first measured phase (else the first thread count pays for it).
            for (var e : s.mix().entrySet()) {
                PhasePlan plan = PhasePlan.of(s.count(), s.durationNs(), 1).warmUpOnly();
                for (GuardRig rig : rigs) {
                    rig.run(e.getKey(), 1, s.sharedFile(), plan);
                }
            }
            progress.println("warm-up round done");
            int phase = 0;
            for (int t : s.threads()) {
                for (var e : s.mix().entrySet()) {
                    PhasePlan plan = PhasePlan.of(s.count(), s.durationNs(), e.getValue());
                    // The guard going first rotates from phase to phase, so no guard is always
                    // the one measured right after a change of kind or thread count.
                    for (int j = 0; j < rigs.size(); j++) {
                        GuardRig rig = rigs.get((j + phase) % rigs.size());
                        PhaseResult r = rig.run(e.getKey(), t, s.sharedFile(), plan);
                        results.get(rig.guard).add(r);
                        progress.println(line(rig.guard, r));
                        progress.flush();
                    }
                    phase++;
                }
            }
            if (s.floorCalls() > 0) {
                batch.putAll(batchNullIoctls(s, rigs, progress));
            }
        } finally {
            for (GuardRig rig : rigs) {
                try {
                    rig.close();
                } catch (RuntimeException e) {
                    problems.add(rig.guard.name().toLowerCase() + ": machine close failed: " + e);
                }
                MachineReport mr = rig.report();
                if (mr != null && !mr.clean()) {
                    problems.add(rig.guard.name().toLowerCase() + ": unclean teardown: " + mr);
                }
            }
        }
        SyscallFloor floor = floorBefore != null ? SyscallFloor.lower(floorBefore, SyscallFloor.measure(s.floorCalls(), 7))
                : SyscallFloor.unavailable("not measured (--floor-calls 0)");
        List<IoctlBenchReport.GuardRuns> guards = new ArrayList<>();
        results.forEach((g, runs) -> guards.add(new IoctlBenchReport.GuardRuns(g, runs)));
        return new IoctlBenchReport(s.image(), s.node(), driver, s.sharedFile(), s.guardCoreIoctls(), guards, floor,
                batch, s.command(), problems);
    }

    /// The null ioctls of the mix timed with the syscall floor's own method ([BatchTiming]:
    /// `--floor-calls` calls per round, 7 rounds, twice, the lower median) on the SRCU rig, so
    /// the floor ratio compares like with like.
    private static Map<IoctlKind, BatchTiming> batchNullIoctls(Settings s, List<GuardRig> rigs, PrintWriter progress) {
        Map<IoctlKind, BatchTiming> out = new java.util.EnumMap<>(IoctlKind.class);
        GuardRig srcu = rigs.stream().filter(r -> r.guard == GuardStrategy.SRCU).findFirst().orElse(null);
        if (srcu == null) {
            return out;
        }
        for (IoctlKind k : s.mix().keySet()) {
            if (!k.nullIoctl()) {
                continue;
            }
            srcu.batch(k, s.floorCalls(), 7).ifPresent(a -> {
                BatchTiming t = BatchTiming.lower(a, srcu.batch(k, s.floorCalls(), 7).orElseThrow());
                out.put(k, t);
                progress.printf("  srcu   batch-timed %-10s %.1f ns per call (timed like the syscall floor)%n",
                        k.mixName(), t.medianNs());
            });
        }
        return out;
    }

    private static String line(GuardStrategy g, PhaseResult r) {
        String head = String.format("  %-6s %d thread(s) %-17s", g.name().toLowerCase(), r.threads(), r.kind().mixName());
        if (!r.ran()) {
            return head + " unsupported: " + r.unsupported();
        }
        return String.format("%s %12.0f ops/s  p50 %d ns  p99 %d ns  %.1f B/op%s", head, r.opsPerSec(), r.latencyNs(50),
                r.latencyNs(99), r.allocBytesPerOp(), r.errors() > 0 ? "  " + r.errors() + " errors" : "");
    }
}
