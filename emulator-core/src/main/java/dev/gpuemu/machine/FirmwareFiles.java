package dev.gpuemu.machine;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;

/// The firmware files a machine carries, by the name a driver requests (`arm/mali/...bin`): the
/// emulated `/lib/firmware`. The board reads the files from the host when it builds the machine;
/// the kernel only ever sees this read-only table, never a host path.
///
/// ## Invariants
/// Names are non-empty; contents are private copies, handed out as read-only buffers.
///
/// The set of names is fixed when the machine is built; a file's contents can be overwritten
/// ([#replace], an administrator updating `/lib/firmware` between two probes).
///
/// ## Thread safety
/// Thread-safe: lookups and replacements may run concurrently; a lookup sees the old or the new
/// contents whole.
public final class FirmwareFiles {
    private static final FirmwareFiles NONE = new FirmwareFiles(new ConcurrentSkipListMap<>()); // no name can be added

    private final Map<String, byte[]> files;

    private FirmwareFiles(Map<String, byte[]> files) {
        this.files = files;
    }

    /// A machine without firmware files.
    public static FirmwareFiles none() {
        return NONE;
    }

    /// A table of copies of `files`.
    ///
    /// @throws IllegalArgumentException for an empty name
    public static FirmwareFiles of(Map<String, byte[]> files) {
        ConcurrentSkipListMap<String, byte[]> copy = new ConcurrentSkipListMap<>();
        files.forEach((name, bytes) -> {
            if (Objects.requireNonNull(name, "name").isEmpty()) {
                throw new IllegalArgumentException("empty firmware name");
            }
            copy.put(name, Objects.requireNonNull(bytes, name).clone());
        });
        return copy.isEmpty() ? NONE : new FirmwareFiles(copy);
    }

    /// The contents of `name`, read-only, positioned at 0; empty if the machine has no such file.
    public Optional<ByteBuffer> lookup(String name) {
        byte[] b = files.get(name);
        return b == null ? Optional.empty() : Optional.of(ByteBuffer.wrap(b).asReadOnlyBuffer());
    }

    /// Overwrites the existing file `name` with a copy of `contents`: the next `request_firmware`
    /// reads it (one booted machine can then probe many firmware images, as the firmware fuzz
    /// targets do).
    ///
    /// @throws IllegalArgumentException if the machine has no file `name`
    public void replace(String name, byte[] contents) {
        byte[] copy = Objects.requireNonNull(contents, "contents").clone();
        if (files.computeIfPresent(Objects.requireNonNull(name, "name"), (n, old) -> copy) == null) {
            throw new IllegalArgumentException("no firmware file " + name);
        }
    }

    /// The file names, sorted.
    public Set<String> names() {
        return Collections.unmodifiableSet(files.keySet());
    }

    @Override
    public String toString() {
        return "FirmwareFiles" + files.keySet();
    }
}
