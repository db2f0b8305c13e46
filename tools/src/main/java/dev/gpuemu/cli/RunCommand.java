package dev.gpuemu.cli;

import dev.gpuemu.board.Machine;
import dev.gpuemu.board.MachineReport;
import dev.gpuemu.images.BuiltinImages;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.log.LogLevel;
import dev.gpuemu.workload.IoctlRegistry;
import dev.gpuemu.workload.Script;
import dev.gpuemu.workload.ScriptException;
import dev.gpuemu.workload.Workload;
import dev.gpuemu.workload.WorkloadParser;
import dev.gpuemu.workload.WorkloadResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/// `gpuemu run SCRIPT`: parses a workload script (docs/workloads.md), boots the image, runs the
/// script, shuts the machine down and prints the result.
///
/// Exit codes: 0 the workload passed and the machine shut down clean; 1 a check failed (the
/// kernel log tail is shown), or the run found an oops, a leak or an emulator failure; 2 the
/// script has an error (`file:line:col: message` on stderr, nothing booted) or bad usage.
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Boot a machine image, run a workload script on it, print the kernel log and the result.")
final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SCRIPT", description = "Workload script (see docs/workloads.md).")
    Path script;

    @Option(names = "--image", description = "Machine image to boot (default: ${DEFAULT-VALUE}).",
            defaultValue = BuiltinImages.DEFAULT)
    String image;

    @Option(names = "--seed", description = "Seed of the machine and of the workload (default: ${DEFAULT-VALUE}).",
            defaultValue = "0")
    long seed;

    @Option(names = "--paced", description = "Run simulated time at wall-clock speed instead of skipping idle time.")
    boolean paced;

    @Option(names = {"-v", "--verbose"}, description = "Also print debug-level kernel log records.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws KernelException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Script parsed;
        try {
            parsed = WorkloadParser.parseFile(script, IoctlRegistry.standard());
        } catch (NoSuchFileException e) {
            throw new InputException("cannot read " + script + ": no such file");
        } catch (IOException e) {
            throw new InputException("cannot read " + script + ": " + e.getMessage());
        } catch (ScriptException e) {
            err.println(e.getMessage());
            err.flush();
            return 2;
        }
        MachineOptions options = new MachineOptions();
        options.image = image;
        options.seed = seed;
        options.paced = paced;
        long wallStart = System.nanoTime();
        Machine machine = options.build();
        machine.kernel().log().addListener(e -> {
            if (verbose || e.level() != LogLevel.DEBUG) {
                out.println(e.format());
            }
        });
        WorkloadResult result;
        try {
            machine.boot();
            result = Workload.run(machine, parsed, seed, out::println);
        } finally {
            machine.close();
        }
        long wallNs = System.nanoTime() - wallStart;
        MachineReport r = machine.report();
        out.println("--");
        out.printf("workload %s: %s, %d check(s) passed, %d failed%n", parsed.file(),
                result.passed() ? "passed" : "FAILED", result.assertionsPassed(), result.assertionsFailed());
        result.messages().forEach(m -> out.println("  " + m));
        if (!result.passed()) {
            out.println("kernel log tail:");
            result.logTail().forEach(l -> out.println("  " + l));
        }
        out.printf("time: %.6f s simulated, %.3f s wall; image %s, seed %d, %s clock%n", result.simTimeNs() / 1e9,
                wallNs / 1e9, image, seed, paced ? "paced" : "fast");
        out.printf("shutdown: %d oops(es), %d guest error(s), %d leaked page(s), %d emulator failure(s)%n",
                r.oopses(), r.guestErrors().values().stream().mapToLong(Long::longValue).sum(), r.leakedPages(),
                r.clockFailures().size());
        r.oopsMessages().forEach(m -> out.println("  oops: " + m));
        r.leaks().forEach(m -> out.println("  leak: " + m));
        r.clockFailures().forEach(m -> out.println("  failure: " + m));
        out.flush();
        return result.passed() && r.clean() ? 0 : 1;
    }
}
