package dev.gpuemu.bench.ioctl;

/// One op of one [IoctlKind] on one thread's file: its ioctls with arguments already in user
/// memory. Allocates nothing.
@FunctionalInterface
public interface BenchOp {
    /// Runs the op once.
    ///
    /// @return 0, or the first failing ioctl's `-errno`
    int call();
}
