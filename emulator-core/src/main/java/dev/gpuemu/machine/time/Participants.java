package dev.gpuemu.machine.time;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/// The threads registered as participants of one [SimClock], by thread and in a list for the
/// allocation-free scan the clock thread does before a timeout jump.
///
/// ## Invariants
/// - At most one [Participation] per thread; its `depth` counts the open handles (nesting).
/// - `byThread` and `list[0, size)` hold the same registrations.
///
/// ## Thread safety
/// Guarded by the clock's lock.
final class Participants {
    private final Map<Thread, Participation> byThread = new HashMap<>();
    private Participation[] list = new Participation[4];
    private int size;

    int size() {
        return size;
    }

    /// @return the registration of `t`, or null
    Participation of(Thread t) {
        return size == 0 ? null : byThread.get(t);
    }

    /// Registers `t`, or nests one more handle on its registration.
    Participation join(Thread t) {
        Participation p = byThread.get(t);
        if (p != null) {
            p.depth++;
            return p;
        }
        p = new Participation(t);
        byThread.put(t, p);
        if (size == list.length) {
            list = Arrays.copyOf(list, size * 2);
        }
        list[size++] = p;
        return p;
    }

    /// Closes one handle of `p`; removes the registration with the last. No-op for a
    /// registration already reaped (its thread died).
    void leave(Participation p) {
        if (p.depth > 0 && --p.depth == 0) {
            remove(p);
        }
    }

    /// Removes the first participant whose thread ended without closing its handles.
    ///
    /// @return the removed registration, or null if every registered thread is alive
    Participation reapDead() {
        for (int i = 0; i < size; i++) {
            Participation p = list[i];
            if (p.state != Participation.CLOCK_WAIT && p.isDead()) {
                remove(p);
                return p;
            }
        }
        return null;
    }

    /// @return true if some participant is running (see [Participation#isRunning])
    boolean anyRunning(ReentrantLock clockLock) {
        for (int i = 0; i < size; i++) {
            if (list[i].isRunning(clockLock)) {
                return true;
            }
        }
        return false;
    }

    private void remove(Participation p) {
        byThread.remove(p.thread);
        p.depth = 0;
        for (int i = 0; i < size; i++) {
            if (list[i] == p) {
                System.arraycopy(list, i + 1, list, i, size - i - 1);
                list[--size] = null;
                return;
            }
        }
        throw new IllegalStateException("participant not registered: broken SimClock invariant");
    }
}
