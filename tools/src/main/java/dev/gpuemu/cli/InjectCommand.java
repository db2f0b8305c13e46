package dev.gpuemu.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/// `gpuemu inject`: fault injection under load, checked against the kernel's lifetime invariants
/// (docs/INJECT.md).
@Command(name = "inject", mixinStandardHelpOptions = true,
        description = "Inject faults under load and check the kernel's lifetime invariants.",
        subcommands = {InjectUnbindCommand.class})
final class InjectCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing injection (one of: unbind)");
    }
}
