package dev.gpuemu.kernel.driver;

import java.util.Objects;

/// One devres action on a device: released in LIFO order at unbind, or earlier on request.
///
/// ## Thread safety
/// Guarded by the owning device's lock.
final class DevresEntry {
    final String name;
    final Runnable release;
    boolean done;

    DevresEntry(String name, Runnable release) {
        this.name = Objects.requireNonNull(name, "name");
        this.release = Objects.requireNonNull(release, "release");
    }
}
