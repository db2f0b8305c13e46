package dev.gpuemu.kernel.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/// One thread's read-side counters for one [Srcu] domain (the analogue of the kernel's per-CPU
/// `srcu_data`), padded on both sides against false sharing.
///
/// ## Invariants
/// - Single writer: only [SrcuSlotCounters#owner] ever stores to the counters, so the read side
///   increments with a plain read plus an opaque or release store (no read-modify-write).
/// - Counters only grow. For each index, `lockCount(idx) >= unlockCount(idx)` as seen by the owner;
///   a foreign reader that loads the unlock count with acquire and then the lock count also sees
///   `lock >= unlock`, because every unlock store is a release store issued after its lock store.
/// - The owner is inside `lockCount(0) - unlockCount(0) + lockCount(1) - unlockCount(1)` sections.
///
/// ## Thread safety
/// Written by the owner only; read by the grace-period writer with `getAcquire`. After the owner
/// has terminated (`!owner.isAlive()`, which happens-after its last store) the writer may read the
/// counters plainly to fold them into the retired totals.
///
/// ## Lifecycle
/// Created on a thread's first `readLock` of a domain, registered in [SrcuRegistry], removed by
/// the writer once the owner is dead.
final class SrcuSlot extends SrcuSlotCounters {
    private static final VarHandle LOCK0;
    private static final VarHandle LOCK1;
    private static final VarHandle UNLOCK0;
    private static final VarHandle UNLOCK1;

    static {
        try {
            final MethodHandles.Lookup l = MethodHandles.lookup();
            LOCK0 = l.findVarHandle(SrcuSlotCounters.class, "lock0", long.class);
            LOCK1 = l.findVarHandle(SrcuSlotCounters.class, "lock1", long.class);
            UNLOCK0 = l.findVarHandle(SrcuSlotCounters.class, "unlock0", long.class);
            UNLOCK1 = l.findVarHandle(SrcuSlotCounters.class, "unlock1", long.class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Right padding: 128 bytes after the counters (see SrcuSlotPadding).
    @SuppressWarnings("unused")
    long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;

    SrcuSlot(final Thread owner) {
        super(owner);
    }

    // ---- owner side --------------------------------------------------------------------------

    /// Owner only: `lock[idx]++` as a plain read and an opaque store. The opaque store is
    /// atomic (no torn long) and never elided by the JIT; it carries no ordering by itself.
    void incLockOpaque(final int idx) {
        if (idx == 0) {
            LOCK0.setOpaque(this, lock0 + 1);
        } else {
            LOCK1.setOpaque(this, lock1 + 1);
        }
    }

    /// Owner only: `unlock[idx]++` as a release store.
    // ORDERING: release: every load and store of the read section (and the matching lock
    // increment) is ordered before the unlock count becomes visible. Pairs with the writer's
    // getAcquire of the unlock counts (message passing: "unlock seen => section finished").
    void incUnlockRelease(final int idx) {
        if (idx == 0) {
            UNLOCK0.setRelease(this, unlock0 + 1);
        } else {
            UNLOCK1.setRelease(this, unlock1 + 1);
        }
    }

    /// Owner only: true if a section entered on `idx` is still open on this thread.
    boolean ownerHolds(final int idx) {
        return idx == 0 ? lock0 != unlock0 : lock1 != unlock1;
    }

    /// Owner only: number of open sections (both indexes).
    long ownerDepth() {
        return (lock0 - unlock0) + (lock1 - unlock1);
    }

    // ---- writer side -------------------------------------------------------------------------

    long lockAcquire(final int idx) {
        return idx == 0 ? (long) LOCK0.getAcquire(this) : (long) LOCK1.getAcquire(this);
    }

    long unlockAcquire(final int idx) {
        return idx == 0 ? (long) UNLOCK0.getAcquire(this) : (long) UNLOCK1.getAcquire(this);
    }
}
