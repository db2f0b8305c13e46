package dev.gpuemu.cli;

import dev.gpuemu.kernel.Kernel;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/// `gpuemu`: the command line. Subcommands are the things users do with the emulator.
///
/// Exit codes: 0 success, 1 the run found a problem (a failed probe is not one; an oops, a leak or
/// an emulator failure is), 2 bad input (unknown image, malformed image file, bad option).
@Command(name = "gpuemu", mixinStandardHelpOptions = true, versionProvider = GpuemuCommand.Version.class,
        description = "Full-system GPU emulator with a Linux-style driver core and DRM stack.",
        subcommands = {BootCommand.class, RunCommand.class, ImagesCommand.class, LsdevCommand.class, BenchCommand.class,
                InjectCommand.class,
                CommandLine.HelpCommand.class})
public final class GpuemuCommand implements Runnable {
    /// The release this build reports.
    public static final String VERSION = "0.1.0-SNAPSHOT";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /// Runs the command line with the given streams and returns the exit code (for tests).
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new GpuemuCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            if (ex instanceof InputException ie) {
                line.getErr().println(ie.line());
                return 2;
            }
            line.getErr().println("gpuemu: internal error: " + ex);
            ex.printStackTrace(line.getErr());
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /// Version text: release and kernel model.
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"gpuemu " + VERSION, Kernel.VERSION, "Java " + Runtime.version()};
        }
    }
}
