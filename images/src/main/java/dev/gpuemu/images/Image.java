package dev.gpuemu.images;

import dev.gpuemu.board.Machine;
import dev.gpuemu.machine.time.ClockMode;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/// A bootable machine image, as loaded from an image file (docs/images.md): a name, a one-line
/// description, its defaults, and how it configures a machine (device models, firmware nodes and
/// files, built-in driver modules).
///
/// @param name         what `gpuemu boot NAME` takes
/// @param description  one line for listings
/// @param source       the image file, when it is a file on the host (shipped images may live in
///                     the jar)
/// @param clockMode    clock mode unless the command line overrides it
/// @param seed         seed unless the command line overrides it
/// @param drivers      built-in driver modules, in `module_init` order
/// @param init         the init workload script, resolved against the image file
/// @param configure    adds the image's hardware, firmware files and modules to a builder
///
/// ## Thread safety
/// Immutable; [#builder()] may be called any number of times, from any thread, and each call
/// builds an independent machine.
public record Image(String name, String description, Optional<Path> source, ClockMode clockMode, long seed,
                    List<String> drivers, Optional<Path> init, Consumer<Machine.Builder> configure) {
    public Image {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(clockMode, "clockMode");
        drivers = List.copyOf(drivers);
        Objects.requireNonNull(init, "init");
        Objects.requireNonNull(configure, "configure");
    }

    /// A machine builder with this image's defaults (seed, clock mode) and configuration applied;
    /// the caller may override seed and clock mode before `build()`.
    public Machine.Builder builder() {
        Machine.Builder b = Machine.builder().seed(seed).clockMode(clockMode);
        configure.accept(b);
        return b;
    }
}
