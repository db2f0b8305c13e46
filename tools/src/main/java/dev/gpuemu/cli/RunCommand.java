package dev.gpuemu.cli;

import dev.gpuemu.images.BuiltinImages;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.workload.Script;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/// `gpuemu run SCRIPT`: parses a workload script (docs/workloads.md), boots the image (without
/// its init workload), runs the script, shuts the machine down and prints the result.
///
/// Exit codes: 0 the workload passed and the machine shut down clean; 1 a check failed (the
/// kernel log tail is shown), or the run found an oops, a leak or an emulator failure; 2 the
/// script has an error (`file:line:col: message` on stderr, nothing booted) or bad usage.
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Boot a machine image, run a workload script on it, print the kernel log and the result.")
final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SCRIPT", description = "Workload script (see docs/workloads.md).")
    Path script;

    @Option(names = "--image", paramLabel = "IMAGE|FILE",
            description = "Shipped image name or image file to boot (default: ${DEFAULT-VALUE}).",
            defaultValue = BuiltinImages.DEFAULT)
    String image;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed of the machine and of the workload (default: the image's).")
    Long seed;

    @Option(names = "--paced", negatable = true,
            description = "Run simulated time at wall-clock speed instead of skipping idle time (default: the image's).")
    Boolean paced;

    @Mixin
    ReportOptions report;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws KernelException {
        PrintWriter out = spec.commandLine().getOut();
        Script parsed = Scripts.parse(script);
        MachineOptions options = new MachineOptions();
        options.image = image;
        options.seed = seed;
        options.paced = paced;
        options.image(); // resolve now: an unknown image is an input error before anything boots
        SessionReport r = new MachineSession(options, report.verbose, report.logSink(out),
                Progress.wanted(report.json != null))
                .run(Optional.of(parsed), Optional.of(script.toString()));
        return report.finish(r, out);
    }
}
