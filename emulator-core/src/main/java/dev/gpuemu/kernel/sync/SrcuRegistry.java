package dev.gpuemu.kernel.sync;

import java.util.Arrays;

/// The set of [SrcuSlot]s of one [Srcu] domain, scanned by the grace-period writer, plus the
/// *retired* totals of slots whose threads have died.
///
/// ## Invariants
/// - `retiredLock[i] + Σ slot.lock[i]` and `retiredUnlock[i] + Σ slot.unlock[i]` never lose an
///   increment: a dead thread's counters are added to the retired totals in the same step that
///   removes its slot (both under the writer's lock, so no scan sees one without the other).
/// - A thread that died inside a section leaves `retiredLock[i] > retiredUnlock[i]` forever; like
///   a leaked `srcu_read_lock()` in the kernel, every later grace period on that index then
///   waits forever (untimed `synchronize`) or times out. The count is kept, never dropped.
/// - While a scan runs the array only grows (registration); it shrinks only in
///   [#reclaimDead()], which the writer calls under its lock outside any scan.
///
/// ## Thread safety
/// [#register(Thread)] may run on any thread concurrently with everything else (copy-on-write
/// under a private monitor, published with a volatile store). [#reclaimDead()], the sums and the
/// retired totals belong to the writer and must be called with the grace-period lock held.
///
/// ## Lifecycle
/// Lives as long as its domain.
final class SrcuRegistry {
    private static final SrcuSlot[] EMPTY = new SrcuSlot[0];

    private final Object registrationLock = new Object();
    private volatile SrcuSlot[] slots = EMPTY;

    // Writer-owned (grace-period lock held).
    private long retiredLock0;
    private long retiredLock1;
    private long retiredUnlock0;
    private long retiredUnlock1;

    /// Creates and publishes a slot for `owner` (the calling thread).
    // ORDERING: the volatile store of the new array happens before the owner's first lock
    // increment (program order); see Srcu's class doc, "registration", for why a scan that
    // misses the new slot is still correct.
    SrcuSlot register(final Thread owner) {
        final SrcuSlot slot = new SrcuSlot(owner);
        synchronized (registrationLock) {
            final SrcuSlot[] old = slots;
            final SrcuSlot[] grown = Arrays.copyOf(old, old.length + 1);
            grown[old.length] = slot;
            slots = grown;
        }
        return slot;
    }

    /// Writer only: removes the slots of terminated threads, folding their counters into the
    /// retired totals. Returns the number of slots removed.
    // ORDERING: Thread.isAlive() == false synchronizes-with the owner's termination (JLS 17.4.4),
    // so the owner's last counter stores are visible to the plain reads below.
    int reclaimDead() {
        if (noneDead(slots)) {
            return 0; // common case: no allocation
        }
        synchronized (registrationLock) {
            final SrcuSlot[] old = slots;
            int live = 0;
            final SrcuSlot[] kept = new SrcuSlot[old.length];
            for (final SrcuSlot s : old) {
                if (s.owner.isAlive()) {
                    kept[live++] = s;
                } else {
                    retiredLock0 += s.lock0;
                    retiredLock1 += s.lock1;
                    retiredUnlock0 += s.unlock0;
                    retiredUnlock1 += s.unlock1;
                }
            }
            if (live == old.length) {
                return 0;
            }
            slots = live == 0 ? EMPTY : Arrays.copyOf(kept, live);
            return old.length - live;
        }
    }

    private static boolean noneDead(final SrcuSlot[] snapshot) {
        for (final SrcuSlot s : snapshot) {
            if (!s.owner.isAlive()) {
                return false;
            }
        }
        return true;
    }

    /// Writer only: Σ unlock[idx] over a fresh snapshot, plus the retired total.
    long sumUnlocks(final int idx) {
        long sum = idx == 0 ? retiredUnlock0 : retiredUnlock1;
        for (final SrcuSlot s : slots) {
            sum += s.unlockAcquire(idx);
        }
        return sum;
    }

    /// Writer only: Σ lock[idx] over a fresh snapshot (read again, after the caller's fence),
    /// plus the retired total.
    long sumLocks(final int idx) {
        long sum = idx == 0 ? retiredLock0 : retiredLock1;
        for (final SrcuSlot s : slots) {
            sum += s.lockAcquire(idx);
        }
        return sum;
    }

    /// Number of registered (not yet reclaimed) slots.
    int size() {
        return slots.length;
    }
}
