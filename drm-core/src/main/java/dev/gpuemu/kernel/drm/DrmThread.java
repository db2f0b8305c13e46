package dev.gpuemu.kernel.drm;

import dev.gpuemu.kernel.sync.Srcu;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/// Per-thread DRM state that makes the ioctl path allocation-free: the stack of pooled
/// [RegistrationGuard]s and the ioctl argument buffer (`drm_ioctl`'s on-stack/kmalloc `kdata`).
///
/// ## Invariants
/// Guards are opened and closed LIFO; `depth` is the number of open guards on this thread.
///
/// ## Thread safety
/// Confined to its thread (a `ThreadLocal`).
final class DrmThread {
    /// Deepest guard nesting allowed; deeper is a kernel bug.
    static final int MAX_DEPTH = 32;
    /// Largest ioctl argument: 14 size bits.
    static final int MAX_KDATA = (1 << 14) - 1;

    private static final ThreadLocal<DrmThread> CURRENT = ThreadLocal.withInitial(DrmThread::new);

    private final Thread owner = Thread.currentThread();
    private final RegistrationGuard<?, ?>[] guards = new RegistrationGuard<?, ?>[MAX_DEPTH];
    private int depth;
    /// Lazily allocated per size, so a handler gets a segment exactly `ksize` long.
    private final MemorySegment[] kdataBySize = new MemorySegment[MAX_KDATA + 1];
    private MemorySegment kdata;

    /// The SRCU reader handle of the last domain used on this thread (one per kernel; a thread
    /// that talks to devices of several kernels switches handles, which only costs a lookup).
    private Srcu.Reader reader;

    /// This thread's reader of `srcu`, cached: the guard path opens sections without the
    /// domain's thread-local lookup.
    Srcu.Reader reader(Srcu srcu) {
        Srcu.Reader r = reader;
        if (r == null || r.srcu() != srcu) {
            r = srcu.reader();
            reader = r;
        }
        return r;
    }

    static DrmThread current() {
        return CURRENT.get();
    }

    /// Takes the next guard of the stack (not yet open).
    @SuppressWarnings("unchecked")
    <D, R extends RegistrationData> RegistrationGuard<D, R> push() {
        if (depth == MAX_DEPTH) {
            throw new IllegalStateException("RegistrationGuard nesting deeper than " + MAX_DEPTH);
        }
        RegistrationGuard<?, ?> g = guards[depth];
        if (g == null) {
            g = new RegistrationGuard<>(this, depth, owner);
            guards[depth] = g;
        }
        depth++;
        return (RegistrationGuard<D, R>) g;
    }

    /// Gives back the innermost guard (`d` must be it).
    void pop(int d) {
        if (d != depth - 1) {
            throw new IllegalStateException("RegistrationGuard closed out of order (depth " + d + " of " + depth + ")");
        }
        depth--;
    }

    /// Undoes a [#push] whose enter failed.
    void unpush() {
        depth--;
    }

    /// Number of guards open on this thread.
    int depth() {
        return depth;
    }

    /// A zero-based argument buffer of exactly `size` bytes (contents unspecified).
    MemorySegment kdata(int size) {
        MemorySegment s = kdataBySize[size];
        if (s == null) {
            if (kdata == null) {
                kdata = Arena.ofAuto().allocate(MAX_KDATA + 1, 8);
            }
            s = kdata.asSlice(0, size);
            kdataBySize[size] = s;
        }
        return s;
    }
}
