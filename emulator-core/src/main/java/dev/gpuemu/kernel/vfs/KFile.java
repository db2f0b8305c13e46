package dev.gpuemu.kernel.vfs;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/// `struct file`: one open file description, shared by every fd `dup`ed from it and by kernel
/// holders (a VMA mapping it, an in-flight syscall's `fget`).
///
/// ## Invariants
/// The reference count starts at 1 (the opener's); [FileOps#release] runs exactly once, when it
/// drops to 0. Taking a reference to a released file is a kernel bug and throws.
///
/// ## Thread safety
/// Thread-safe; `get`/`put` are lock-free.
///
/// ## Lifecycle
/// created by a [CharDev] or an anon-inode factory (dma-buf, syncobj fd) → referenced by fds and
/// mappings → released at the last `put`.
public final class KFile {
    private final String name;
    private final FileOps ops;
    private final Object privateData;
    private final int flags;
    private final FileMapping mapping;
    private final AtomicInteger refs = new AtomicInteger(1);

    /// @param name        for logs, e.g. `/dev/dri/renderD128` or `anon_inode:dmabuf`
    /// @param ops         the driver's operations
    /// @param privateData `file->private_data`, may be null
    /// @param flags       the open flags (`O_RDWR`, ...)
    /// @param mapping     the `address_space` its mappings join (zapped by the driver), may be null
    public KFile(String name, FileOps ops, Object privateData, int flags, FileMapping mapping) {
        this.name = Objects.requireNonNull(name, "name");
        this.ops = Objects.requireNonNull(ops, "ops");
        this.privateData = privateData;
        this.flags = flags;
        this.mapping = mapping;
    }

    public String name() {
        return name;
    }

    public FileOps ops() {
        return ops;
    }

    public Object privateData() {
        return privateData;
    }

    /// `privateData()` cast to `type`; a mismatch is a kernel bug.
    public <T> T privateData(Class<T> type) {
        return type.cast(privateData);
    }

    public int flags() {
        return flags;
    }

    /// The file's mapping (`f_mapping`), or null when its mappings cannot be zapped.
    public FileMapping mapping() {
        return mapping;
    }

    /// `get_file`: a new reference.
    public KFile get() {
        int r;
        do {
            r = refs.get();
            if (r <= 0) {
                throw new IllegalStateException("get of released file " + name);
            }
        } while (!refs.compareAndSet(r, r + 1));
        return this;
    }

    /// `get_file_rcu`-style: a new reference unless the file is already being released.
    public boolean tryGet() {
        int r;
        do {
            r = refs.get();
            if (r <= 0) {
                return false;
            }
        } while (!refs.compareAndSet(r, r + 1));
        return true;
    }

    /// `fput`: drops a reference; the last one calls `release`.
    public void put() {
        int r = refs.decrementAndGet();
        if (r == 0) {
            ops.release(this);
        } else if (r < 0) {
            throw new IllegalStateException("put of released file " + name);
        }
    }

    /// Current reference count, for tests and diagnostics.
    public int refCount() {
        return refs.get();
    }

    @Override
    public String toString() {
        return "file " + name + " (refs " + refs.get() + ")";
    }
}
