package dev.gpuemu.images;

import dev.gpuemu.board.Machine;
import java.util.Objects;
import java.util.function.Consumer;

/// A bootable machine image: a name, a one-line description, and how it configures a machine
/// (device models, firmware description, built-in driver modules).
///
/// @param name         what `gpuemu boot NAME` takes
/// @param description  one line for listings
/// @param configure    adds the image's hardware and modules to a builder
public record Image(String name, String description, Consumer<Machine.Builder> configure) {
    public Image {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(configure, "configure");
    }

    /// Builds a machine of this image with the given seed and clock mode settings applied by
    /// the caller on the returned builder's result.
    public Machine.Builder builder() {
        Machine.Builder b = Machine.builder();
        configure.accept(b);
        return b;
    }
}
