package dev.gpuemu.cli;

import dev.gpuemu.board.Machine;
import dev.gpuemu.inject.InjectInputException;
import dev.gpuemu.inject.InjectMode;
import dev.gpuemu.inject.InjectResult;
import dev.gpuemu.inject.InjectSpec;
import dev.gpuemu.inject.Injector;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.log.LogLevel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/// `gpuemu inject unbind`: boots the image, runs seeded load on one DRM device while unbinding
/// and rebinding it (or PCI-removing and rescanning it, or failing its next probe after the render
/// node became visible) at random points, checks the eight invariants (docs/INJECT.md), prints the
/// report and optionally writes it as JSON.
///
/// Exit codes: 0 no violation; 1 any violation (an oops, a leak, a hang, a failed health check,
/// an unexpected errno...); 2 bad input (unknown image or device, a mode the device does not
/// support, counts out of range, an unwritable JSON file).
@Command(name = "unbind", mixinStandardHelpOptions = true,
        description = "Unbind/rebind (or remove/rescan, or fail the probe of) a DRM device under load and check the invariants.")
final class InjectUnbindCommand implements Callable<Integer> {
    /// The image `inject unbind` boots when none is named (the default boot image has no DRM device).
    static final String DEFAULT_IMAGE = "vgem";

    @Option(names = "--image", paramLabel = "IMAGE|FILE", defaultValue = DEFAULT_IMAGE,
            description = "Shipped image name or image file (default: ${DEFAULT-VALUE}).")
    String image;

    @Option(names = "--device", paramLabel = "NAME",
            description = "Bus device to inject on, e.g. vgem, fb000000.gpu, 0000:01:00.0 (the GA102 on ga102-pc and dual); planted-bug or planted-fixed add the "
                    + "planted test driver (default: the image's first DRM device).")
    String device;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2", description = "Load threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--cycles", paramLabel = "K", defaultValue = "100",
            description = "Injection cycles (default: ${DEFAULT-VALUE}).")
    int cycles;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the machine and of every choice (default: the image's).")
    Long seed;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "unbind",
            description = "unbind, remove (PCI only), probe-fail or mixed (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the JSON report to FILE ('-' for stdout, instead of the summary).")
    String json;

    @Option(names = {"-v", "--verbose"}, description = "Print the kernel log (info and above) as it happens.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws KernelException {
        PrintWriter out = spec.commandLine().getOut();
        InjectMode m = InjectMode.parse(mode).orElseThrow(() -> new InputException("unknown --mode '" + mode + "' (one of: "
                + Arrays.stream(InjectMode.values()).map(InjectMode::cliName).collect(Collectors.joining(", ")) + ")"));
        if (threads < 1 || threads > 64) {
            throw new InputException("--threads must be 1..64, got " + threads);
        }
        if (cycles < 1) {
            throw new InputException("--cycles must be >= 1, got " + cycles);
        }
        MachineOptions options = new MachineOptions();
        options.image = image;
        options.seed = seed;
        options.image(); // an unknown image is an input error before anything boots
        Machine machine = options.build();
        if (verbose) {
            machine.kernel().log().addListener(e -> {
                if (e.level() != LogLevel.DEBUG) {
                    out.println(e.format());
                }
            });
        }
        machine.boot();
        InjectResult r;
        try {
            r = Injector.run(machine, options.image().name(),
                    new InjectSpec(device, threads, cycles, options.effectiveSeed(), m, InjectSpec.DEFAULT_HANG_BOUND_NS));
        } catch (InjectInputException e) {
            throw new InputException(e.getMessage());
        }
        if (!"-".equals(json)) {
            r.printSummary(out);
        }
        if (json != null) {
            try {
                if ("-".equals(json)) {
                    r.writeJson(out);
                } else {
                    try (Writer w = Files.newBufferedWriter(Path.of(json), StandardCharsets.UTF_8)) {
                        r.writeJson(w);
                    }
                }
            } catch (IOException e) {
                throw new InputException("cannot write the JSON report to " + json + ": " + e.getMessage());
            }
        }
        return r.exitCode();
    }
}
