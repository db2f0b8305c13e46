package dev.gpuemu.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/// `gpuemu bench`: the benchmark suites whose numbers go into docs/PERFORMANCE.md.
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run a benchmark suite.",
        subcommands = {BenchPagesCommand.class, BenchIoctlCommand.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing suite (one of: pages, ioctl)");
    }
}
