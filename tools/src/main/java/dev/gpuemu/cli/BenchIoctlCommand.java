package dev.gpuemu.cli;

import dev.gpuemu.bench.ioctl.IoctlBench;
import dev.gpuemu.bench.ioctl.IoctlBenchJson;
import dev.gpuemu.bench.ioctl.IoctlBenchReport;
import dev.gpuemu.bench.ioctl.IoctlKind;
import dev.gpuemu.bench.ioctl.ThroughputPlot;
import dev.gpuemu.images.Image;
import dev.gpuemu.kernel.drm.GuardStrategy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/// `gpuemu bench ioctl`: ioctl throughput and latency of one DRM node of an image under load from
/// emulated processes, per guard strategy × thread count × ioctl kind, and the host's syscall
/// floor, in one run ([IoctlBench]). Exit 0 when the run completed (goals missed are reported,
/// not failed), 1 when the machines showed problems at teardown (leaks, oopses), 2 on bad input.
@Command(name = "ioctl", mixinStandardHelpOptions = true,
        description = "Benchmark ioctl throughput/latency of a DRM node per guard strategy and thread count.")
final class BenchIoctlCommand implements Callable<Integer> {
    @Option(names = "--image", paramLabel = "I", defaultValue = "vgem",
            description = "Shipped image name or image file (default: ${DEFAULT-VALUE}).")
    String image;

    @Option(names = "--node", paramLabel = "NODE", defaultValue = "renderD128",
            description = "DRM node under /dev/dri (default: ${DEFAULT-VALUE}).")
    String node;

    @Option(names = "--threads", paramLabel = "N,...", defaultValue = "1,2",
            description = "Thread counts (default: ${DEFAULT-VALUE}).")
    String threads;

    @Option(names = "--duration", paramLabel = "TIME",
            description = "Measured time per phase: 500ms, 5s, 1m (default 5s; not with --count).")
    String duration;

    @Option(names = "--count", paramLabel = "N", description = "Measured ops per thread and phase (not with --duration).")
    Long count;

    @Option(names = "--mix", paramLabel = "NAME=WEIGHT,...",
            description = "Ioctl kinds to run, each weight (>= 1) multiplying its phase length; kinds: "
                    + "version, get_cap, gem_create_close, mmap_offset, syncobj, submit (default: all, weight 1).")
    String mix;

    @Option(names = "--guard", paramLabel = "G", defaultValue = "all",
            description = "srcu, rwlock, none (unsafe baseline) or all (default: ${DEFAULT-VALUE}).")
    String guard;

    @Option(names = "--shared-file", description = "All threads on one open file (default: one process and file per thread).")
    boolean sharedFile;

    @Option(names = "--guard-core-ioctls", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Run core ioctls (VERSION, GET_CAP, ...) inside the guard too, so null ioctls measure it"
                    + " (default: on; --no-guard-core-ioctls as in Linux).")
    boolean guardCoreIoctls;

    @Option(names = "--floor-calls", paramLabel = "N", defaultValue = "1000000",
            description = "ioctl(2) calls per round of the syscall floor; 0 skips it (default: ${DEFAULT-VALUE}).")
    long floorCalls;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON (docs/cli.md).")
    Path json;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Also draw throughput against threads per guard (PNG).")
    Path plot;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (duration != null && count != null) {
            throw new InputException("give --duration or --count, not both");
        }
        long durationNs = count == null ? parseDuration(duration == null ? "5s" : duration) : 0;
        if (count != null && count < 1) {
            throw new InputException("--count must be >= 1, got " + count);
        }
        if (floorCalls < 0) {
            throw new InputException("--floor-calls must be >= 0, got " + floorCalls);
        }
        List<Integer> threadCounts = parseThreads(threads);
        Map<IoctlKind, Integer> kinds = parseMix(mix);
        List<GuardStrategy> guards = parseGuard(guard);
        String nodePath = node.startsWith("/") ? node : "/dev/dri/" + node;
        checkWritable("--json", json);
        checkWritable("--plot", plot);
        Image img = MachineOptions.resolve(image);
        PrintWriter out = spec.commandLine().getOut();
        var settings = new IoctlBench.Settings(img.name(), nodePath, threadCounts, count == null ? 0 : count, durationNs,
                kinds, guards, sharedFile, guardCoreIoctls, floorCalls, commandLine());
        IoctlBenchReport report;
        try {
            report = IoctlBench.run(settings, img::builder, out);
        } catch (IoctlBench.NoSuchNodeException e) {
            throw new InputException(e.getMessage() + " (image " + img.name() + ")");
        }
        out.println();
        out.print(report.format());
        if (json != null) {
            try {
                IoctlBenchJson.write(report, json);
            } catch (IOException e) {
                throw new InputException("cannot write " + json + ": " + e.getMessage());
            }
            out.println("wrote " + json);
        }
        if (plot != null) {
            try {
                ThroughputPlot.write(report, plot);
                out.println("wrote " + plot);
            } catch (IllegalArgumentException e) {
                out.println("no plot: " + e.getMessage());
            } catch (IOException e) {
                throw new InputException("cannot write " + plot + ": " + e.getMessage());
            }
        }
        out.flush();
        return report.problems().isEmpty() ? 0 : 1;
    }

    private String commandLine() {
        // originalArgs() are the arguments of the whole command line (`bench ioctl ...`).
        return "gpuemu " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    }

    /// `500ms`, `5s`, `2m`, or a plain number of seconds.
    static long parseDuration(String s) {
        var m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)?").matcher(s.strip());
        if (!m.matches()) {
            throw new InputException("bad --duration '" + s + "' (examples: 500ms, 5s, 1m)");
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double ns = v * switch (unit) {
            case "ms" -> 1e6;
            case "m" -> 60e9;
            default -> 1e9;
        };
        if (ns < 1e6) {
            throw new InputException("--duration must be at least 1ms, got '" + s + "'");
        }
        return (long) ns;
    }

    static List<Integer> parseThreads(String s) {
        List<Integer> out = new ArrayList<>();
        for (String part : s.split(",", -1)) {
            int n;
            try {
                n = Integer.parseInt(part.strip());
            } catch (NumberFormatException e) {
                throw new InputException("bad --threads '" + s + "' (a comma-separated list such as 1,2,4)");
            }
            if (n < 1 || n > 256) {
                throw new InputException("--threads values must be 1..256, got " + n);
            }
            if (!out.contains(n)) {
                out.add(n);
            }
        }
        return out;
    }

    static Map<IoctlKind, Integer> parseMix(String s) {
        Map<IoctlKind, Integer> out = new LinkedHashMap<>();
        if (s == null) {
            for (IoctlKind k : IoctlKind.values()) {
                out.put(k, 1);
            }
            return out;
        }
        for (String part : s.split(",", -1)) {
            String[] nw = part.strip().split("=", -1);
            String name = nw[0].strip();
            IoctlKind k = IoctlKind.byMixName(name).orElseThrow(() -> new InputException("unknown --mix entry '" + name
                    + "' (known: " + String.join(", ", IoctlKind.mixNames()) + ")"));
            int w = 1;
            if (nw.length > 2) {
                throw new InputException("bad --mix entry '" + part + "' (NAME or NAME=WEIGHT)");
            }
            if (nw.length == 2) {
                try {
                    w = Integer.parseInt(nw[1].strip());
                } catch (NumberFormatException e) {
                    throw new InputException("bad --mix weight in '" + part + "' (an integer >= 1)");
                }
                if (w <= 0) {
                    throw new InputException("--mix weight of " + name + " must be >= 1, got " + w);
                }
            }
            if (out.put(k, w) != null) {
                throw new InputException("--mix names " + name + " twice");
            }
        }
        return out;
    }

    static List<GuardStrategy> parseGuard(String s) {
        return switch (s.strip().toLowerCase()) {
            case "all" -> List.of(GuardStrategy.SRCU, GuardStrategy.RWLOCK, GuardStrategy.NONE);
            case "srcu" -> List.of(GuardStrategy.SRCU);
            case "rwlock" -> List.of(GuardStrategy.RWLOCK);
            case "none" -> List.of(GuardStrategy.NONE);
            default -> throw new InputException("unknown --guard '" + s + "' (srcu, rwlock, none or all)");
        };
    }

    /// An output file must be creatable before the run starts (a long run should not fail at the end).
    static void checkWritable(String option, Path file) {
        if (file == null) {
            return;
        }
        Path abs = file.toAbsolutePath();
        Path parent = abs.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new InputException("cannot write " + option + " " + file + ": directory " + parent + " does not exist");
        }
        if (Files.isDirectory(abs) || (Files.exists(abs) ? !Files.isWritable(abs) : !Files.isWritable(parent))) {
            throw new InputException("cannot write " + option + " " + file + ": not writable");
        }
    }
}
