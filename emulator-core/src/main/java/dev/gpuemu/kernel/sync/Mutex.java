package dev.gpuemu.kernel.sync;

import java.util.concurrent.locks.ReentrantLock;

/// A kernel `struct mutex` for short critical sections: before blocking, [#lock()] spins a
/// bounded number of times on `tryLock` (Linux's optimistic spinning, where a waiter spins
/// while the owner runs instead of sleeping at once). A [ReentrantLock] parks a contended
/// waiter immediately, and a park/unpark pair costs microseconds, far more than a section of a
/// few dozen nanoseconds: two threads creating and closing GEM handles on one device spent
/// their time parking on `object_name_lock`.
///
/// Use it only where every holder keeps the section short and never blocks inside it; a long
/// section makes the spin a waste of a CPU (bounded by [#SPINS] tries).
///
/// ## Thread safety
/// As [ReentrantLock] (reentrant, non-fair); `lockInterruptibly`, `tryLock` and conditions
/// behave as there.
public final class Mutex extends ReentrantLock {
    /// `tryLock` attempts before blocking: about a microsecond of spinning on this class of host.
    static final int SPINS = 64;

    private static final long serialVersionUID = 1L;

    @Override
    public void lock() {
        for (int i = 0; i < SPINS; i++) {
            if (tryLock()) {
                return;
            }
            Thread.onSpinWait();
        }
        super.lock();
    }
}
