package dev.gpuemu.kernel.sync;

import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/// The writer half of a [Srcu] domain: the grace-period state machine (`wait(!cur)`, flip,
/// `wait(cur)`), the heavy fence **A**, and the spin-then-park wait. See [Srcu]'s class doc for
/// the correctness argument; the fence names (A, B, C, W) refer to it.
///
/// ## Invariants
/// - At most one grace period runs at a time (`mutex`); the retired totals, the registry's
///   shrinking and the epoch flip happen only under it.
///
/// ## Thread safety
/// [#run(long)] may be called from any thread; callers queue on the mutex.
/// [#maybeReclaim()] only ever `tryLock`s, so a reader's first `readLock` never blocks.
///
/// ## Lifecycle
/// Owned by its [Srcu]; no teardown.
final class SrcuGracePeriod {
    /// Busy-wait rounds (`Thread.onSpinWait`) before the writer parks.
    static final int SPIN_LIMIT = 200;
    /// First and largest `parkNanos` timeout while parked (readers unpark the writer sooner).
    static final long MIN_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /// Registry size at which a registering thread first tries to reclaim dead slots.
    private static final int RECLAIM_THRESHOLD = 64;

    private final Srcu srcu;
    private final SrcuRegistry registry;
    /// null in FENCE mode.
    private final Membarrier membarrier;
    private final ReentrantLock mutex = new ReentrantLock();
    /// Registration-time reclamation threshold; grows so that reclaiming stays amortised O(1).
    private volatile int reclaimAt = RECLAIM_THRESHOLD;
    private volatile Runnable afterFlipHook;
    /// Set (under the mutex) when the waiting writer was interrupted; re-asserted by run().
    private boolean interruptedWhileWaiting;

    SrcuGracePeriod(final Srcu srcu, final SrcuRegistry registry, final Membarrier membarrier) {
        this.srcu = srcu;
        this.registry = registry;
        this.membarrier = membarrier;
    }

    /// One full grace period. `timeoutNanos < 0` means no timeout.
    ///
    /// @return false if the timeout expired first (state stays consistent, see Srcu point 6)
    boolean run(final long timeoutNanos) {
        final boolean timed = timeoutNanos >= 0;
        final long deadline = timed ? System.nanoTime() + timeoutNanos : 0L;
        boolean interrupted = Thread.interrupted();
        try {
            if (timed) {
                while (true) {
                    try {
                        if (!mutex.tryLock(Math.max(0L, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                            return false;
                        }
                        break;
                    } catch (final InterruptedException e) {
                        interrupted = true;
                    }
                }
            } else {
                mutex.lock();
            }
            try {
                interruptedWhileWaiting = false;
                registry.reclaimDead();
                final int cur = srcu.currentIndex();
                if (!waitForReaders(cur ^ 1, timed, deadline)) {
                    return false;
                }
                srcu.flip();
                final Runnable hook = afterFlipHook;
                if (hook != null) {
                    hook.run();
                }
                return waitForReaders(cur, timed, deadline);
            } finally {
                interrupted |= interruptedWhileWaiting;
                mutex.unlock();
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /// Tries (never blocks) to reclaim dead threads' slots once the registry has grown.
    void maybeReclaim() {
        if (registry.size() < reclaimAt || !mutex.tryLock()) {
            return;
        }
        try {
            registry.reclaimDead();
            reclaimAt = Math.max(RECLAIM_THRESHOLD, registry.size() * 2);
        } finally {
            mutex.unlock();
        }
    }

    void afterFlipHook(final Runnable hook) {
        afterFlipHook = hook;
    }

    /// Waits until no reader holds a section on `idx`. Spins, then parks with `waiter` published.
    private boolean waitForReaders(final int idx, final boolean timed, final long deadline) {
        if (drained(idx)) {
            return true;
        }
        for (int spin = 0; spin < SPIN_LIMIT; spin++) {
            Thread.onSpinWait();
            if (looksDrained(idx) && drained(idx)) {
                return true;
            }
            if (timed && deadline - System.nanoTime() <= 0) {
                return false;
            }
        }
        long park = MIN_PARK_NANOS;
        srcu.setWaiter(Thread.currentThread());
        try {
            while (true) {
                // ORDERING: waiter store, then heavy fence, then the re-check: pairs with the
                // reader's unlock store, fence W, waiter load (point 7: no lost wake-up).
                heavyFence();
                if (drained(idx)) {
                    return true;
                }
                do {
                    long nanos = park;
                    if (timed) {
                        final long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            return false;
                        }
                        nanos = Math.min(nanos, left);
                    }
                    LockSupport.parkNanos(this, nanos);
                    if (Thread.interrupted()) {
                        // Uninterruptible: run() re-asserts the interrupt on return.
                        interruptedWhileWaiting = true;
                    }
                    park = Math.min(park * 2, MAX_PARK_NANOS);
                    // Fence-free pre-check, so a membarrier round is paid only when it may pass.
                } while (!looksDrained(idx));
            }
        } finally {
            srcu.setWaiter(null);
        }
    }

    /// The real check: `U = Σ unlock[idx]`; fence A; `L = Σ lock[idx]`; drained iff `L == U`.
    private boolean drained(final int idx) {
        final long unlocks = registry.sumUnlocks(idx);
        // ORDERING: A. Pairs with the readers' fence B (store-buffering): a lock increment not
        // seen by the sums below belongs to a section that sees everything stored before here.
        heavyFence();
        final long locks = registry.sumLocks(idx);
        return locks == unlocks;
    }

    /// Fence-free estimate of [#drained(int)]: it may miss increments still in a store buffer, so
    /// `true` must be confirmed by `drained`; `false` only delays the writer. Used to avoid
    /// membarrier rounds while readers are obviously present.
    private boolean looksDrained(final int idx) {
        return registry.sumUnlocks(idx) == registry.sumLocks(idx);
    }

    private void heavyFence() {
        if (membarrier != null) {
            membarrier.privateExpedited();
        } else {
            VarHandle.fullFence();
        }
    }
}
