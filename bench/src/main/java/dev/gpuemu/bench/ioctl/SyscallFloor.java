package dev.gpuemu.bench.ioctl;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/// The host's kernel-crossing floor: `ioctlfloor.c` (a resource) times `ioctl(2)` on `/dev/null`
/// answering `ENOTTY`, compiled with the machine's `gcc -O2` at run time (as
/// `bench.pages.CBaseline` does for memcpy) and run in the same benchmark run.
///
/// @param ns       median ns per call over the rounds; NaN when unavailable
/// @param minNs    fastest round
/// @param maxNs    slowest round
/// @param reason   why there is no floor (no gcc, build or run failure); null when there is one
/// @param compiler the compiler's version line, or null
/// @param otherNs  for a [#lower] of two measurements: the median of the other (higher) one;
///                 NaN for a single measurement
public record SyscallFloor(double ns, double minNs, double maxNs, String reason, String compiler, double otherNs) {

    public boolean available() {
        return reason == null;
    }

    /// Of two measurements of the floor (before and after the phases), the one with the lower
    /// median, remembering the other's: a busy host only ever makes the floor slower, so the lower
    /// is the better estimate (and the stricter goal). When one is unavailable, the other.
    static SyscallFloor lower(SyscallFloor a, SyscallFloor b) {
        if (!a.available() || !b.available()) {
            return a.available() ? a : b;
        }
        SyscallFloor lo = a.ns() <= b.ns() ? a : b;
        SyscallFloor hi = lo == a ? b : a;
        return new SyscallFloor(lo.ns(), lo.minNs(), lo.maxNs(), null, lo.compiler(), hi.ns());
    }

    static SyscallFloor unavailable(String reason) {
        return new SyscallFloor(Double.NaN, Double.NaN, Double.NaN, reason, null, Double.NaN);
    }

    /// Builds and runs the program with the `gcc` on PATH. Never throws: failures become a [#reason].
    public static SyscallFloor measure(long callsPerRound, int rounds) {
        return measure(findOnPath("gcc"), callsPerRound, rounds);
    }

    static SyscallFloor measure(Optional<Path> gcc, long callsPerRound, int rounds) {
        if (gcc.isEmpty()) {
            return unavailable("gcc not found on PATH, so the syscall floor was not measured");
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("gpuemu-ioctlfloor");
            Path src = dir.resolve("ioctlfloor.c");
            try (InputStream in = SyscallFloor.class.getResourceAsStream("ioctlfloor.c")) {
                if (in == null) {
                    return unavailable("ioctlfloor.c missing from the jar");
                }
                Files.copy(in, src);
            }
            Path exe = dir.resolve("ioctlfloor");
            Run build = run(List.of(gcc.get().toString(), "-O2", "-o", exe.toString(), src.toString()), 120);
            if (build.exit != 0) {
                return unavailable("gcc failed (exit " + build.exit + "): " + build.output.strip());
            }
            String version = run(List.of(gcc.get().toString(), "--version"), 30).output.lines().findFirst().orElse("gcc");
            Run bench = run(List.of(exe.toString(), Long.toString(callsPerRound), Integer.toString(rounds)), 300);
            if (bench.exit != 0) {
                return unavailable("ioctlfloor failed (exit " + bench.exit + "): " + bench.output.strip());
            }
            for (String line : bench.output.lines().toList()) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 4 && f[0].equals("syscall_floor_ns")) {
                    return new SyscallFloor(Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                            null, version, Double.NaN);
                }
            }
            return unavailable("unexpected ioctlfloor output: " + bench.output.strip());
        } catch (IOException | NumberFormatException e) {
            return unavailable("syscall floor failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable("interrupted while measuring the syscall floor");
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // A temp directory left behind is harmless.
        }
    }

    private record Run(int exit, String output) {
    }

    private static Run run(List<String> cmd, int timeoutSeconds) throws IOException, InterruptedException {
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
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
