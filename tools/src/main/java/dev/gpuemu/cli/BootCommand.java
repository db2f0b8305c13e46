package dev.gpuemu.cli;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.workload.Script;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/// `gpuemu boot [IMAGE|FILE]`: boots a shipped image or an image file, prints the kernel log as
/// it happens, runs the image's init workload, shuts the machine down and prints a summary (or
/// the JSON report). Exit 0 when the run was clean (workload passed; no oops, leak or emulator
/// failure), 1 otherwise, 2 for bad input (image or init script errors, with `file:line:col`).
@Command(name = "boot", mixinStandardHelpOptions = true,
        description = "Boot a machine image (a shipped image's name or an image file), print the kernel log as it "
                + "happens, run the image's init workload, then print a summary.")
final class BootCommand implements Callable<Integer> {
    @Mixin
    MachineOptions options;

    @Mixin
    ReportOptions report;

    @Option(names = "--no-init", description = "Do not run the image's init workload.")
    boolean noInit;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws KernelException {
        PrintWriter out = spec.commandLine().getOut();
        Optional<Path> init = noInit ? Optional.empty() : options.image().init();
        Optional<Script> script = init.map(Scripts::parse);
        SessionReport r = new MachineSession(options, report.verbose, report.logSink(out),
                Progress.wanted(report.json != null))
                .run(script, init.map(Path::toString));
        return report.finish(r, out);
    }
}
