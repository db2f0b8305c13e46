package dev.gpuemu.bench.ioctl;

import java.util.Optional;

/// What `gpuemu bench ioctl` runs on the nodes of one DRM driver, chosen by the name
/// `DRM_IOCTL_VERSION` reports. Adding a driver is one implementation registered in
/// [DriverOpsRegistry] (nova: `NovaOps`, once nova-drm lands).
///
/// ## Thread safety
/// Implementations are stateless and thread-safe.
public interface DriverOps {
    /// The DRM driver name this applies to (`vgem`, `panthor`, ...).
    String driverName();

    /// Whether some op waits on simulated time (a job on the GPU model): the threads then run as
    /// `SimClock` participants.
    boolean usesSimTime();

    /// Why `kind` cannot run on this driver's nodes, or empty when it can.
    Optional<String> unsupported(IoctlKind kind);

    /// Sets up one thread's ops on `file` (in `file`'s process).
    ThreadOps open(BenchFile file);
}
