package dev.gpuemu.bench.pages;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/// The physical-limit baseline: glibc `memcpy` and `memset` on 4 KiB pages, measured by the small
/// C program `pagebench.c` (shipped as a resource), compiled with the machine's `gcc -O2` and run
/// in the same benchmark run as the JMH suite.
///
/// @param nsPerPage  `"memcpy/l1"`, `"memset/dram"`, ... to ns per 4 KiB page; empty when unavailable
/// @param reason     why there is no baseline (`gcc` missing, build or run failure); null when there is one
/// @param compiler   the compiler's version line, or null
/// @param drift      for a [#mean] of two runs: per measurement, the change from the first to the
///                   second run in percent; empty for a single run
public record CBaseline(Map<String, Double> nsPerPage, String reason, String compiler, Map<String, Double> drift) {

    public CBaseline {
        nsPerPage = Map.copyOf(nsPerPage);
        drift = Map.copyOf(drift);
    }

    /// The mean of two runs, with their drift; when the second run failed, the first alone.
    static CBaseline mean(CBaseline first, CBaseline second) {
        if (second.reason() != null) {
            return first;
        }
        Map<String, Double> mean = new LinkedHashMap<>();
        Map<String, Double> drift = new LinkedHashMap<>();
        first.nsPerPage().forEach((k, a) -> {
            Double b = second.nsPerPage().get(k);
            if (b != null) {
                mean.put(k, (a + b) / 2);
                drift.put(k, (b - a) / a * 100);
            }
        });
        return new CBaseline(mean, null, first.compiler(), new java.util.TreeMap<>(drift));
    }

    /// ns per page of `op` ("memcpy" or "memset") in size class `size` ("l1" or "dram").
    public Optional<Double> get(String op, String size) {
        return Optional.ofNullable(nsPerPage.get(op + "/" + size));
    }

    static CBaseline unavailable(String reason) {
        return new CBaseline(Map.of(), reason, null, Map.of());
    }

    /// Builds and runs the C program with the `gcc` on PATH. Never throws: failures become a
    /// [#reason].
    public static CBaseline measure(int dramMiB, int reps) {
        return measure(findOnPath("gcc"), dramMiB, reps);
    }

    static CBaseline measure(Optional<Path> gcc, int dramMiB, int reps) {
        if (gcc.isEmpty()) {
            return unavailable("gcc not found on PATH, so there is no C memcpy/memset baseline");
        }
        try {
            Path dir = Files.createTempDirectory("gpuemu-pagebench");
            try {
                Path src = dir.resolve("pagebench.c");
                try (InputStream in = CBaseline.class.getResourceAsStream("pagebench.c")) {
                    if (in == null) {
                        return unavailable("pagebench.c missing from the jar");
                    }
                    Files.copy(in, src);
                }
                Path exe = dir.resolve("pagebench");
                Run build = run(List.of(gcc.get().toString(), "-O2", "-o", exe.toString(), src.toString()), 120);
                if (build.exit != 0) {
                    return unavailable("gcc failed (exit " + build.exit + "): " + build.output.strip());
                }
                String version = run(List.of(gcc.get().toString(), "--version"), 30).output.lines().findFirst().orElse("gcc");
                Run bench = run(List.of(exe.toString(), "--mib", Integer.toString(dramMiB), "--reps",
                        Integer.toString(reps)), 600);
                if (bench.exit != 0) {
                    return unavailable("pagebench failed (exit " + bench.exit + "): " + bench.output.strip());
                }
                Map<String, Double> out = new LinkedHashMap<>();
                for (String line : bench.output.lines().toList()) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length == 3) {
                        out.put(f[0] + "/" + f[1], Double.parseDouble(f[2]));
                    }
                }
                if (out.size() != 4) {
                    return unavailable("unexpected pagebench output: " + bench.output.strip());
                }
                return new CBaseline(out, null, version, Map.of());
            } finally {
                try (var files = Files.list(dir)) {
                    for (Path p : files.toList()) {
                        Files.deleteIfExists(p);
                    }
                }
                Files.deleteIfExists(dir);
            }
        } catch (IOException | NumberFormatException e) {
            return unavailable("C baseline failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable("interrupted while running the C baseline");
        }
    }

    /// A finished process: exit status and combined output.
    record Run(int exit, String output) {
    }

    /// Runs `cmd` to completion (stdout and stderr combined), killing it after the timeout.
    static Run run(List<String> cmd, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Run(-1, "timed out after " + timeoutSeconds + " s");
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static Optional<Path> findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
