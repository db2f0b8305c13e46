package dev.gpuemu.machine.mem;

import java.util.Objects;

/// A reference on the pages of a run ([SystemMemory#pin]): while it is open the pages cannot
/// return to the pool.
///
/// ## Lifecycle
/// Open from `pin()` until [#close()], which may be called exactly once (a second call throws).
///
/// ## Thread safety
/// Thread-safe (closing synchronises on the memory).
public final class Pin implements AutoCloseable {
    private final SystemMemory memory;
    private final PageRun run;
    private final String owner;

    Pin(SystemMemory memory, PageRun run, String owner) {
        this.memory = Objects.requireNonNull(memory);
        this.run = Objects.requireNonNull(run);
        this.owner = Objects.requireNonNull(owner);
    }

    public PageRun run() {
        return run;
    }

    public String owner() {
        return owner;
    }

    /// Drops the reference; pages whose last reference this was return to the pool.
    @Override
    public void close() {
        memory.unpin(this);
    }
}
