package dev.gpuemu.bench.ioctl;

/// The ops one benchmark thread runs on its [BenchFile], set up before the measurement (argument
/// structs written into the thread's own user memory, BOs and groups created).
///
/// ## Thread safety
/// Set up on any thread, then used by one thread at a time.
///
/// ## Lifecycle
/// [DriverOps#open] → [#op] calls → [#close] once (frees what the setup created).
public interface ThreadOps extends AutoCloseable {
    /// The op of `kind`; the caller asked [DriverOps#unsupported] first.
    ///
    /// @throws IllegalArgumentException when the driver has no op of `kind`
    BenchOp op(IoctlKind kind);

    @Override
    void close();
}
