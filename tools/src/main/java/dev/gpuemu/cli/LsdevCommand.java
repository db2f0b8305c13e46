package dev.gpuemu.cli;

import dev.gpuemu.board.Machine;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.BusDevice;
import dev.gpuemu.kernel.driver.BusType;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/// `gpuemu lsdev [--image IMAGE]`: boots the image quietly and prints the bus / device / driver
/// tree the way sysfs lays it out under `/sys/bus`, then the DRM nodes under `/dev/dri`.
@Command(name = "lsdev", mixinStandardHelpOptions = true,
        description = "Boot a machine image quietly and print its buses, devices and drivers like /sys/bus, then its DRM nodes.")
final class LsdevCommand implements Callable<Integer> {
    /// Where DRM registers its nodes.
    static final String DRM_DIR = "/dev/dri";

    @Mixin
    MachineOptions options;

    @Option(names = "--image", paramLabel = "IMAGE", description = "Shipped image name or image file (same as the IMAGE parameter).")
    String imageOption;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws KernelException {
        PrintWriter out = spec.commandLine().getOut();
        if (imageOption != null) {
            if (spec.commandLine().getParseResult().hasMatchedPositional(0)) {
                throw new InputException("give the image either as IMAGE or as --image, not both");
            }
            options.image = imageOption;
        }
        Machine machine = options.build();
        try {
            machine.boot();
            for (BusType<?> bus : machine.kernel().driverCore().buses()) {
                print(out, bus);
            }
            List<String> nodes = machine.kernel().devfs().list(DRM_DIR);
            out.println(DRM_DIR + (nodes.isEmpty() ? "  (none)" : ""));
            nodes.forEach(n -> out.println("    " + n.substring(DRM_DIR.length() + 1)));
        } finally {
            machine.close();
        }
        out.flush();
        return machine.report().clean() ? 0 : 1;
    }

    static void print(PrintWriter out, BusType<?> bus) {
        out.println("/sys/bus/" + bus.name());
        List<? extends BusDevice> devices = bus.devices();
        out.println("  devices/" + (devices.isEmpty() ? "  (none)" : ""));
        for (BusDevice d : devices) {
            out.printf("    %-24s %s%n", d.name(), d.describe());
            out.println("      driver -> " + d.driverName().orElse("(unbound)")
                    + d.driverOverride().map(o -> "  [driver_override=" + o + "]").orElse(""));
        }
        List<String> drivers = bus.driverNames();
        out.println("  drivers/" + (drivers.isEmpty() ? "  (none)" : ""));
        for (String drv : drivers) {
            List<String> boundTo = devices.stream()
                    .filter(d -> d.driverName().filter(drv::equals).isPresent())
                    .map(BusDevice::name).toList();
            out.printf("    %-24s %s%n", drv, boundTo.isEmpty() ? "" : "bound: " + String.join(", ", boundTo));
        }
    }
}
