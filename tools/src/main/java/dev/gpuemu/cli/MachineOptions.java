package dev.gpuemu.cli;

import dev.gpuemu.board.Machine;
import dev.gpuemu.images.BuiltinImages;
import dev.gpuemu.images.Image;
import dev.gpuemu.machine.time.ClockMode;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/// Options shared by the commands that boot a machine.
final class MachineOptions {
    @Parameters(index = "0", arity = "0..1", paramLabel = "IMAGE",
            description = "Machine image to boot (default: ${DEFAULT-VALUE}). Known: edu.",
            defaultValue = BuiltinImages.DEFAULT)
    String image;

    @Option(names = "--seed", description = "Seed for every random choice of the run (default: ${DEFAULT-VALUE}).",
            defaultValue = "0")
    long seed;

    @Option(names = "--paced", description = "Run simulated time at wall-clock speed instead of skipping idle time.")
    boolean paced;

    /// Builds (does not boot) the machine the options describe; unknown image -> exit 2.
    Machine build() {
        Image img = BuiltinImages.find(image).orElseThrow(() -> new InputException(
                "unknown image '" + image + "' (known: " + String.join(", ", BuiltinImages.names()) + ")"));
        return img.builder().seed(seed).clockMode(paced ? ClockMode.PACED : ClockMode.FAST).build();
    }
}
