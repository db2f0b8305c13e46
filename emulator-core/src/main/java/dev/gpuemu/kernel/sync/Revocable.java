package dev.gpuemu.kernel.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/// A value that can be revoked while readers may be using it: Rust's `Revocable<T>`.
///
/// Readers reach the value only inside an SRCU read section of the given domain
/// ([#tryAccessWith] is the preferred closure form; [#tryAccess] returns an explicit guard).
/// [#revoke] makes every later access fail, waits for every reader that may still hold the
/// value, then drops it (closing it when it is [AutoCloseable]).
///
/// ## Invariants
/// Once `revoke()` returned, no reader holds the value and none can obtain it; the value was
/// dropped exactly once. A value never revoked is dropped by [#drop].
///
/// ## Thread safety
/// Thread-safe. Unlike RCU guards in Linux, a holder may sleep (the domain is SRCU), but it
/// delays every revoker of the same domain while it does.
///
/// ## Lifecycle
/// available → revoked (by `revoke()`, once). A guard must be closed exactly once.
public final class Revocable<T> {
    private static final VarHandle AVAILABLE;

    static {
        try {
            AVAILABLE = MethodHandles.lookup().findVarHandle(Revocable.class, "available", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Srcu domain;
    private final T value;
    @SuppressWarnings("unused") // accessed through AVAILABLE
    private volatile boolean available = true;
    private volatile boolean dropped;

    public Revocable(Srcu domain, T value) {
        this.domain = Objects.requireNonNull(domain, "domain");
        this.value = Objects.requireNonNull(value, "value");
    }

    /// Runs `body` with the value inside a read section; empty when already revoked.
    public <R> Optional<R> tryAccessWith(Function<? super T, ? extends R> body) {
        int idx = domain.readLock();
        try {
            // ORDERING: acquire pairs with the release in revoke(): a reader that sees
            // available == true entered its section before revoke's grace period began.
            if (!(boolean) AVAILABLE.getAcquire(this)) {
                return Optional.empty();
            }
            return Optional.ofNullable(body.apply(value));
        } finally {
            domain.readUnlock(idx);
        }
    }

    /// Enters a read section and returns a guard holding the value; empty when revoked.
    public Optional<Guard<T>> tryAccess() {
        int idx = domain.readLock();
        // ORDERING: see tryAccessWith.
        if (!(boolean) AVAILABLE.getAcquire(this)) {
            domain.readUnlock(idx);
            return Optional.empty();
        }
        return Optional.of(new Guard<>(this, idx));
    }

    /// Whether the value is still available (a point check: it may be revoked right after).
    public boolean isAvailable() {
        return (boolean) AVAILABLE.getAcquire(this);
    }

    /// Revokes the value: later accesses fail, current holders are waited for, then the value
    /// is dropped. Returns whether this call did the revoking.
    public boolean revoke() {
        if (!AVAILABLE.compareAndSet(this, true, false)) {
            return false;
        }
        domain.synchronize();
        drop();
        return true;
    }

    /// Revokes without waiting for readers. The caller guarantees that no reader can hold the
    /// value (for example: the device it belongs to never became visible).
    boolean revokeNoSync() {
        if (!AVAILABLE.compareAndSet(this, true, false)) {
            return false;
        }
        drop();
        return true;
    }

    private synchronized void drop() {
        if (dropped) {
            return;
        }
        dropped = true;
        if (value instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("dropping revocable value failed", e);
            }
        }
    }

    /// Proof of access: holds an SRCU read section of the revocable's domain.
    ///
    /// ## Lifecycle
    /// Close exactly once, on the thread that obtained it; a second close throws.
    public static final class Guard<T> implements AutoCloseable {
        private final Revocable<T> owner;
        private final int idx;
        private boolean closed;

        private Guard(Revocable<T> owner, int idx) {
            this.owner = owner;
            this.idx = idx;
        }

        /// The protected value; valid until this guard is closed.
        public T get() {
            if (closed) {
                throw new IllegalStateException("guard already closed");
            }
            return owner.value;
        }

        @Override
        public void close() {
            if (closed) {
                throw new IllegalStateException("guard already closed");
            }
            closed = true;
            owner.domain.readUnlock(idx);
        }
    }
}
