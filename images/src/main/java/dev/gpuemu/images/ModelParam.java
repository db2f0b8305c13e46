package dev.gpuemu.images;

import java.util.Objects;

/// One parameter a device model accepts under a device's `params:` in an image file.
///
/// @param name          the key in `params:`
/// @param type          how the value is written and checked
/// @param defaultValue  the value when the image does not set it: a `Long` for [Type#INT] and
///                      [Type#SIZE], a `Boolean` for [Type#BOOL], a `String` for [Type#STRING]
/// @param description   one line for docs and error messages
public record ModelParam(String name, Type type, Object defaultValue, String description) {
    /// Value types of parameters.
    public enum Type {
        /// A decimal or `0x` hexadecimal integer (underscores allowed).
        INT,
        /// A byte count: an integer with an optional unit `B`, `KiB`, `MiB`, `GiB`.
        SIZE,
        /// `true` or `false`.
        BOOL,
        /// Any scalar text.
        STRING
    }

    public ModelParam {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(description, "description");
        Class<?> expected = switch (type) {
            case INT, SIZE -> Long.class;
            case BOOL -> Boolean.class;
            case STRING -> String.class;
        };
        if (!expected.isInstance(defaultValue)) {
            throw new IllegalArgumentException(name + ": default of a " + type + " parameter must be a " + expected.getSimpleName());
        }
    }
}
