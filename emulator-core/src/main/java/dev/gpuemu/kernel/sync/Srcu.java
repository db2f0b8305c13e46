package dev.gpuemu.kernel.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/// Sleepable RCU (`srcu_struct`): the read-side guard under `drm_dev_enter/exit` and devres
/// revoke. Readers enter and leave sections without blocking, without atomic read-modify-write
/// and without allocating; [#synchronize()] waits until every reader that may still see the state
/// from before the call has left its section.
///
/// ```java
/// // reader
/// int v = srcu.withReadLock(() -> dev.unplugged ? -ENODEV : dev.regs.read(OFF));
/// // writer (drm_dev_unplug): publish, then wait; afterwards no section sees unplugged == false
/// dev.unplugged = true;          // a volatile store
/// srcu.synchronize();
/// ```
///
/// ## Algorithm (kernel "classic" SRCU with per-thread instead of per-CPU counters)
/// Two epoch indexes, `idx = epoch & 1`. Every thread has one [SrcuSlot] per domain with counters
/// `lock[0..1]` and `unlock[0..1]`, written by that thread only.
/// - `readLock`: `idx = epoch` (opaque load); `lock[idx]++`; fence **B**; return `idx`.
/// - `readUnlock(idx)`: `unlock[idx]++` as a release store (= fence **C**); then, only so that a
///   parked writer is not missed, fence **W** and a load of `waiter`, which is unparked if set.
/// - `synchronize`: under the writer mutex, `wait(!cur)`; flip (`epoch++`, volatile);
///   `wait(cur)`, where `cur` is the index before the flip. The first check of both waits shares
///   one fence **A** (both unlock sums, **A**, lock sum of `!cur`, flip, lock sum of `cur`), so an
///   idle domain's grace period costs one heavy fence.
/// - `wait(i)`: repeat until `U == L`, with `U = Σ unlock[i]` (acquire loads), then heavy fence
///   **A**, then `L = Σ lock[i]` (acquire loads over a registry snapshot taken after **A**);
///   dead threads' counters are included through the retired totals of [SrcuRegistry].
///
/// Fences per [Mode]: in `FENCE` mode **B** and **W** are `VarHandle.fullFence()` and **A** is a
/// full fence too. In `MEMBARRIER` mode **B** and **W** are compiler barriers only and **A** is
/// `membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED)` (see [Membarrier]), which forces a full barrier
/// on every CPU running one of our threads: a reader's execution is split at that barrier, and
/// everything the reader did before it is visible to the writer after the call, while everything
/// after it sees what the writer stored before the call. That is the `smp_mb()`/`barrier()` pair
/// the kernel uses for `membarrier`-based asymmetric fences (SRCU-fast, `sys_membarrier` RCU).
/// The compiler barrier is `VarHandle.acquireFence()`: C2 turns it into a `LoadFence` MemBar node
/// inserted at alias index "bottom" (wide: it consumes and produces the whole memory state), so no
/// memory access is scheduled across it, and it emits no instruction on x86 (`dmb ishld` on
/// aarch64). This relies on HotSpot's implementation, not on the JMM, which has no notion of
/// `membarrier`.
///
/// ## Why it is correct
/// Guarantee: when `synchronize()` returns `true`/normally, every read section either has ended
/// (and all its accesses happen-before the return) or observes every store the caller made before
/// calling `synchronize()`. So "publish new; synchronize; free old" is safe, and after
/// "`unplugged = true`; synchronize" every section still running has seen `unplugged == true`.
///
/// 1. *Per-slot monotonicity.* Counters only grow; each unlock store is a release store made after
///    the matching lock store by the same thread. The writer loads `unlock[i]` (acquire) at t1 and
///    later `lock[i]` at t2, so for every slot `l >= u`. Hence `L == U` implies `l == u` for every
///    slot (and for the retired totals), i.e. `unlock(t1) = lock(t2) >= lock(t1) >= unlock(t1)`:
///    at t1 the slot had no open section on `i` and none was opened on `i` before t2. A slot
///    registered between the two snapshots has `u = 0` and must show `l == 0`.
/// 2. *Counted readers are waited for.* A section whose `lock[i]` increment is seen at t2 had its
///    unlock seen at t1 (by 1), and by release/acquire its accesses happen-before the writer's
///    continuation.
/// 3. *Uncounted readers see the new state.* If a section's increment is not seen after fence
///    **A**, the store-buffering pairing of **A** with **B** (full fences in `FENCE` mode; the
///    membarrier split in `MEMBARRIER` mode) makes every access after **B** observe the caller's
///    stores made before **A**, which include everything stored before `synchronize()`. The same
///    holds for a slot whose registration (a volatile store that precedes its first increment) is
///    not in the snapshot taken after **A**, which is why `L` uses a fresh snapshot.
/// 4. *A reader that read the epoch after the flip* sees the new state: the flip is a volatile
///    store after the caller's stores, and fence **B** after the reader's epoch load orders it
///    before the section (opaque load + acquire/full fence = acquire load).
/// 5. *Why two waits.* A reader that read `epoch` before the *previous* flip but incremented after
///    the previous grace period's scan sits on index `!cur` and may have started before this call;
///    it is covered by the first `wait(!cur)` (points 2/3 applied to that wait). Without it the
///    flip would make `!cur` current and the second wait would not see that reader.
/// 6. *Timeouts.* If the first wait times out nothing has changed. If the second one does, index
///    `cur` still holds readers, and the next grace period's first wait (`wait(!cur')` with
///    `!cur' == cur`) covers them. So a timed-out call leaves a consistent state.
/// 7. *No lost wake-up.* The writer stores `waiter`, executes a heavy fence, then re-checks; a
///    reader stores its unlock count, executes **W**, then loads `waiter`: the same store-buffering
///    pairing guarantees that the writer sees the unlock or the reader sees the waiter. The bounded
///    `parkNanos` backoff is a safety net, not part of the argument.
///
/// ## Invariants
/// - `epoch` changes only under the writer mutex; `idx = epoch & 1`.
/// - Sections are per thread: `readUnlock` must run on the thread that called `readLock`, with the
///   index it returned; unbalanced unlocks throw (a broken emulator invariant).
/// - A thread that dies inside a section leaks it, as in the kernel: later grace periods on that
///   index never finish (the timed form returns `false`).
///
/// ## Thread safety
/// Fully thread-safe. Readers never block. Concurrent `synchronize` calls are serialised.
/// `synchronize` from inside a section of the same domain throws `IllegalStateException`
/// (lockdep's self-deadlock report); sections of *other* domains may be held.
///
/// ## Lifecycle
/// No close: a domain lives as long as it is referenced. Slots of dead threads are reclaimed by
/// the next grace period (or by a later registration), their counts folded into retired totals.
public final class Srcu {

    /// How the read side's StoreLoad fence is provided.
    public enum Mode {
        /// Readers use compiler barriers; the writer issues `membarrier(2)` (asymmetric fences).
        MEMBARRIER,
        /// Readers issue `VarHandle.fullFence()` (portable fallback; kernel-classic cost).
        FENCE
    }

    private static final VarHandle EPOCH;
    private static final VarHandle WAITER;

    static {
        try {
            final MethodHandles.Lookup l = MethodHandles.lookup();
            EPOCH = l.findVarHandle(Srcu.class, "epoch", int.class);
            WAITER = l.findVarHandle(Srcu.class, "waiter", Thread.class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final Mode mode;
    private final boolean fenceMode;
    private final ThreadLocal<SrcuSlot> slot = new ThreadLocal<>();
    private final SrcuRegistry registry = new SrcuRegistry();
    private final SrcuGracePeriod gp;

    /// Flip counter; `epoch & 1` is the index new readers use. Written under the writer mutex.
    @SuppressWarnings("unused") // accessed through EPOCH
    private int epoch;
    /// The writer parked in a grace period, or null. Read by `readUnlock`.
    @SuppressWarnings("unused") // accessed through WAITER
    private Thread waiter;

    /// A domain in `MEMBARRIER` mode when `membarrier(2)` is usable, else `FENCE` mode.
    public Srcu(final String name) {
        this(name, Membarrier.instance().orElse(null));
    }

    private Srcu(final String name, final Membarrier membarrier) {
        this.name = Objects.requireNonNull(name, "name");
        this.mode = membarrier != null ? Mode.MEMBARRIER : Mode.FENCE;
        this.fenceMode = membarrier == null;
        this.gp = new SrcuGracePeriod(this, registry, membarrier);
    }

    /// A domain in `FENCE` mode regardless of `membarrier(2)` (fallback, and for comparison).
    public static Srcu withFences(final String name) {
        return new Srcu(name, null);
    }

    public String name() {
        return name;
    }

    public Mode mode() {
        return mode;
    }

    /// Enters a read section (`srcu_read_lock`). Nestable, never blocks; allocates only on this
    /// thread's first use of this domain.
    ///
    /// @return the epoch index to pass to [#readUnlock(int)]
    public int readLock() {
        SrcuSlot s = slot.get();
        if (s == null) {
            s = register();
        }
        return lockSlot(s);
    }

    private int lockSlot(final SrcuSlot s) {
        // ORDERING: opaque load; it becomes an acquire by fence B below (point 4 of the doc).
        final int idx = (int) EPOCH.getOpaque(this) & 1;
        s.incLockOpaque(idx);
        if (fenceMode) {
            // ORDERING: B, full fence: the lock increment is globally visible before any access
            // of the section. Pairs with the writer's fence A (store-buffering pattern).
            VarHandle.fullFence();
        } else {
            // ORDERING: B, compiler barrier only (wide C2 MemBar, no x86 instruction): keeps the
            // section's accesses after the increment in machine order; the writer's membarrier
            // supplies the hardware StoreLoad fence.
            VarHandle.acquireFence();
        }
        return idx;
    }

    /// Leaves a read section (`srcu_read_unlock`).
    ///
    /// @param idx the value returned by the matching [#readLock()]
    /// @throws IllegalArgumentException if `idx` is not 0 or 1
    /// @throws IllegalStateException if this thread holds no section entered on `idx`
    public void readUnlock(final int idx) {
        if ((idx & ~1) != 0) {
            throw new IllegalArgumentException("srcu " + name + ": bad read-lock index " + idx);
        }
        unlockSlot(slot.get(), idx);
    }

    private void unlockSlot(final SrcuSlot s, final int idx) {
        if (s == null || !s.ownerHolds(idx)) {
            throw new IllegalStateException("srcu " + name + ": readUnlock(" + idx + ") without readLock");
        }
        // ORDERING: C, release store (inside incUnlockRelease).
        s.incUnlockRelease(idx);
        if (fenceMode) {
            // ORDERING: W, full fence: the unlock store is visible before the waiter load; pairs
            // with the writer's store of `waiter` + full fence (no lost wake-up).
            VarHandle.fullFence();
        } else {
            // ORDERING: W, compiler barrier: the waiter load stays after the unlock store; the
            // writer's membarrier after storing `waiter` supplies the hardware fence.
            VarHandle.acquireFence();
        }
        final Thread w = (Thread) WAITER.getOpaque(this);
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /// The calling thread's reader handle for this domain (registering the thread on first use):
    /// [Reader#lock()] and [Reader#unlock(int)] are [#readLock()] and [#readUnlock(int)] without
    /// the thread-local lookup, for a hot path that keeps the handle in its own per-thread state.
    public Reader reader() {
        SrcuSlot s = slot.get();
        if (s == null) {
            s = register();
        }
        return new Reader(this, s);
    }

    /// One thread's read side of one domain, as returned by [#reader()].
    ///
    /// ## Thread safety
    /// Confined to the thread that called [#reader()]: using it from another thread would count
    /// that thread's sections in the owner's counters, so [#lock()] checks the caller.
    ///
    /// ## Lifecycle
    /// Valid for the life of its thread; keep it only in that thread's own state.
    public static final class Reader {
        private final Srcu srcu;
        private final SrcuSlot slot;
        private final Thread owner = Thread.currentThread();

        private Reader(final Srcu srcu, final SrcuSlot slot) {
            this.srcu = srcu;
            this.slot = slot;
        }

        /// The domain this handle reads.
        public Srcu srcu() {
            return srcu;
        }

        /// [Srcu#readLock()] on the owner thread.
        ///
        /// @throws IllegalStateException on another thread
        public int lock() {
            checkOwner();
            return srcu.lockSlot(slot);
        }

        /// [Srcu#readUnlock(int)] on the owner thread (a section opened by [#lock()] or by
        /// [Srcu#readLock()] on this thread).
        ///
        /// @throws IllegalStateException on another thread, or without a matching lock
        public void unlock(final int idx) {
            checkOwner();
            if ((idx & ~1) != 0) {
                throw new IllegalArgumentException("srcu " + srcu.name + ": bad read-lock index " + idx);
            }
            srcu.unlockSlot(slot, idx);
        }

        private void checkOwner() {
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("srcu " + srcu.name + ": reader of " + owner.getName()
                        + " used on " + Thread.currentThread().getName());
            }
        }
    }

    /// True if the current thread holds at least one section of this domain.
    public boolean inReadSection() {
        final SrcuSlot s = slot.get();
        return s != null && s.ownerDepth() > 0;
    }

    /// Waits for a grace period (`synchronize_srcu`): every reader that may have entered before
    /// this call began has left its section when this returns. Uninterruptible (an interrupt is
    /// remembered and re-asserted on return).
    ///
    /// @throws IllegalStateException if the caller is inside a read section of this domain
    public void synchronize() {
        checkNotInSection();
        gp.run(-1L);
    }

    /// As [#synchronize()], but gives up after `timeout`.
    ///
    /// @return false if the grace period did not finish in time; the domain stays consistent and
    ///         a later call completes it (nothing the caller published may be freed on false)
    /// @throws IllegalStateException if the caller is inside a read section of this domain
    public boolean synchronize(final long timeout, final TimeUnit unit) {
        checkNotInSection();
        return gp.run(Math.max(0L, unit.toNanos(timeout)));
    }

    /// Runs `body` inside a read section and returns its result (preferred form).
    public <T> T withReadLock(final Supplier<T> body) {
        final int idx = readLock();
        try {
            return body.get();
        } finally {
            readUnlock(idx);
        }
    }

    /// Runs `body` inside a read section.
    public void withReadLock(final Runnable body) {
        final int idx = readLock();
        try {
            body.run();
        } finally {
            readUnlock(idx);
        }
    }

    @Override
    public String toString() {
        return "Srcu[" + name + ", " + mode + "]";
    }

    // ---- package-private: writer and test hooks ------------------------------------------------

    /// Writer (mutex held): the index new readers use.
    int currentIndex() {
        return (int) EPOCH.getOpaque(this) & 1;
    }

    /// Writer (mutex held): `epoch++`.
    // ORDERING: volatile store: ordered after every store the caller made before synchronize().
    void flip() {
        EPOCH.setVolatile(this, (int) EPOCH.getOpaque(this) + 1);
    }

    /// Writer: publishes (or clears, with null) the parked writer; the caller fences afterwards.
    void setWaiter(final Thread t) {
        WAITER.setVolatile(this, t);
    }

    /// Test hook: runs `hook` on the writer thread right after each epoch flip (null = none).
    void afterFlipHook(final Runnable hook) {
        gp.afterFlipHook(hook);
    }

    /// Test hook: registered (not yet reclaimed) slots.
    int registeredSlots() {
        return registry.size();
    }

    private SrcuSlot register() {
        final SrcuSlot s = registry.register(Thread.currentThread());
        slot.set(s);
        gp.maybeReclaim();
        return s;
    }

    private void checkNotInSection() {
        if (inReadSection()) {
            throw new IllegalStateException("srcu " + name
                    + ": synchronize() inside a read section of the same domain would deadlock");
        }
    }
}
