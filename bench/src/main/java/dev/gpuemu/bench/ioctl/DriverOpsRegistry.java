package dev.gpuemu.bench.ioctl;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/// The [DriverOps] per DRM driver name. A driver without its own class still runs the core kinds
/// (`version`, `get_cap`, `syncobj`); its other kinds are reported unsupported.
///
/// ## Thread safety
/// Immutable.
public final class DriverOpsRegistry {
    /// Drivers with bench ops. Nova joins with one class (`NovaOps`) once nova-drm lands.
    private static final Map<String, DriverOps> KNOWN = List.of(new VgemOps(), new PanthorBenchOps()).stream()
            .collect(Collectors.toUnmodifiableMap(DriverOps::driverName, Function.identity()));

    private DriverOpsRegistry() {
    }

    /// The ops of driver `name` (as `DRM_IOCTL_VERSION` reports it).
    public static DriverOps forDriver(String name) {
        DriverOps known = KNOWN.get(name);
        return known != null ? known : new CoreOnly(name);
    }

    /// A driver without a class here: the core kinds only.
    private record CoreOnly(String driverName) implements DriverOps {
        @Override
        public boolean usesSimTime() {
            return false;
        }

        @Override
        public Optional<String> unsupported(IoctlKind kind) {
            return switch (kind) {
                case VERSION, GET_CAP, SYNCOBJ -> Optional.empty();
                default -> Optional.of("no bench ops for driver " + driverName + " (core ioctls only)");
            };
        }

        @Override
        public ThreadOps open(BenchFile file) {
            return new CoreThreadOps(file) {
                @Override
                BenchOp driverOp(IoctlKind kind) {
                    throw new IllegalArgumentException(driverName + " has no op " + kind.mixName());
                }
            };
        }
    }
}
