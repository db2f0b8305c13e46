package dev.gpuemu.cli;

import dev.gpuemu.board.Machine;
import dev.gpuemu.board.MachineReport;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.BusDevice;
import dev.gpuemu.kernel.driver.BusType;
import dev.gpuemu.kernel.log.LogLevel;
import dev.gpuemu.machine.time.ClockMode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/// `gpuemu boot [IMAGE|FILE]`: boots a shipped image or an image file, prints the kernel log as it happens, shuts the machine
/// down and prints a summary. Exit 0 when the run was clean (no oops, no leak, no emulator
/// failure), 1 otherwise.
@Command(name = "boot", mixinStandardHelpOptions = true,
        description = "Boot a machine image (a shipped image's name or an image file), print the kernel log as it happens, then a summary.")
final class BootCommand implements Callable<Integer> {
    @Mixin
    MachineOptions options;

    @Option(names = {"-v", "--verbose"}, description = "Also print debug-level kernel log records.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws KernelException {
        PrintWriter out = spec.commandLine().getOut();
        long wallStart = System.nanoTime();
        Machine machine = options.build();
        machine.kernel().log().addListener(e -> {
            if (verbose || e.level() != LogLevel.DEBUG) {
                out.println(e.format());
            }
        });
        long simBooted;
        List<String> bound = new ArrayList<>();
        List<String> drmNodes;
        int devices = 0;
        try {
            machine.boot();
            simBooted = machine.clock().nowNs();
            for (BusType<?> bus : machine.kernel().driverCore().buses()) {
                for (BusDevice d : bus.devices()) {
                    devices++;
                    d.driverName().ifPresent(drv -> bound.add(drv + " " + bus.name() + ":" + d.name()));
                }
            }
            drmNodes = machine.kernel().devfs().list(LsdevCommand.DRM_DIR);
        } finally {
            machine.close();
        }
        long wallNs = System.nanoTime() - wallStart;
        MachineReport r = machine.report();
        out.println("--");
        out.printf("image %s: %d device(s), %d bound%s%n", options.image().name(), devices, bound.size(),
                bound.isEmpty() ? "" : " (" + String.join(", ", bound) + ")");
        if (!drmNodes.isEmpty()) {
            out.println("drm nodes: " + String.join(", ", drmNodes));
        }
        out.printf("time: %.6f s simulated to boot, %.3f s wall in all; seed %d, %s clock%n",
                simBooted / 1e9, wallNs / 1e9, machine.seed(), machine.clock().mode() == ClockMode.PACED ? "paced" : "fast");
        out.printf("shutdown: %d oops(es), %d guest error(s), %d leaked page(s), %d emulator failure(s)%n",
                r.oopses(), r.guestErrors().values().stream().mapToLong(Long::longValue).sum(), r.leakedPages(),
                r.clockFailures().size());
        r.oopsMessages().forEach(m -> out.println("  oops: " + m));
        r.leaks().forEach(m -> out.println("  leak: " + m));
        r.clockFailures().forEach(m -> out.println("  failure: " + m));
        out.flush();
        return r.clean() ? 0 : 1;
    }
}
