package dev.gpuemu.cli;

import dev.gpuemu.board.Machine;
import dev.gpuemu.images.BuiltinImages;
import dev.gpuemu.images.Image;
import dev.gpuemu.images.ImageException;
import dev.gpuemu.images.ImageLoader;
import dev.gpuemu.machine.time.ClockMode;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/// Options shared by the commands that boot a machine: which image (a shipped image's name or an
/// image file's path), and the seed and clock mode when they should differ from the image's.
final class MachineOptions {
    @Parameters(index = "0", arity = "0..1", paramLabel = "IMAGE",
            description = "Shipped image name (see `gpuemu images`; default: ${DEFAULT-VALUE}) or an image file (.yaml).",
            defaultValue = BuiltinImages.DEFAULT)
    String image;

    @Option(names = "--seed", paramLabel = "N", description = "Seed for every random choice of the run (default: the image's).")
    Long seed;

    @Option(names = "--paced", negatable = true,
            description = "Run simulated time at wall-clock speed instead of skipping idle time (default: the image's).")
    Boolean paced;

    private Image resolved;

    /// The image the options name: a shipped image, or an image file; exit 2 when neither.
    Image image() {
        if (resolved == null) {
            resolved = resolve(image);
        }
        return resolved;
    }

    /// A shipped image by name, else an image file by path (anything with a `/`, a `.yaml` or
    /// `.yml` suffix, or an existing file). Image file errors exit 2 with `file:line:col: message`.
    static Image resolve(String nameOrPath) {
        var shipped = BuiltinImages.find(nameOrPath);
        if (shipped.isPresent()) {
            return shipped.get();
        }
        boolean looksLikeFile = nameOrPath.contains("/") || nameOrPath.endsWith(".yaml") || nameOrPath.endsWith(".yml");
        if (!looksLikeFile && !Files.isRegularFile(Path.of(nameOrPath))) {
            throw new InputException("unknown image '" + nameOrPath + "' (known: " + String.join(", ", BuiltinImages.names())
                    + "; or give an image file)");
        }
        try {
            return ImageLoader.load(Path.of(nameOrPath));
        } catch (ImageException e) {
            throw e.line() == 0 ? new InputException("cannot read " + e.file() + ": " + e.problem())
                    : InputException.located(e.getMessage());
        }
    }

    /// The seed the run uses: `--seed`, else the image's.
    long effectiveSeed() {
        return seed != null ? seed : image().seed();
    }

    /// The clock mode the run uses: `--paced`/`--no-paced`, else the image's.
    ClockMode effectiveClockMode() {
        return paced != null ? (paced ? ClockMode.PACED : ClockMode.FAST) : image().clockMode();
    }

    /// Builds (does not boot) the machine the options describe; unknown image or bad image file -> exit 2.
    Machine build() {
        return image().builder().seed(effectiveSeed()).clockMode(effectiveClockMode()).build();
    }
}
