package dev.gpuemu.inject;

import java.util.Locale;
import java.util.Optional;

/// What each injection cycle does to the device.
public enum InjectMode {
    /// sysfs `unbind`, then `bind` (sometimes an unbind lands in the middle of the rebind's probe).
    UNBIND,
    /// PCI `remove`, then `rescan` (PCI devices only, as IGT's unplug subtests).
    REMOVE,
    /// `unbind`, then a `bind` whose DRM registration fails after the render node became visible
    /// (fault point `drm.register.primary_minor`), then a clean `bind`.
    PROBE_FAIL,
    /// A seeded choice among the others the device supports, per cycle.
    MIXED;

    /// The command-line spelling (`probe-fail`).
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /// Parses the command-line spelling.
    public static Optional<InjectMode> parse(String s) {
        for (InjectMode m : values()) {
            if (m.cliName().equals(s)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
