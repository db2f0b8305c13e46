package dev.gpuemu.machine.time;

import java.util.function.BooleanSupplier;

/// A thread's registration as a participant of a [SimClock]'s simulated time (see the clock's
/// class doc): while the thread runs between waits, no conditional wait of that clock times out
/// in FAST mode.
///
/// ## Invariants
/// A participant counts as *idle* only while it waits on the clock, is inside [#idleWhile] with
/// the predicate true and the thread parked, or is parked outside the clock (then only the idle
/// grace protects its wake-up, as for a non-participant). Otherwise it is *running*.
///
/// ## Thread safety
/// [#close()] from any thread; [#idleWhile] only on the owner thread.
///
/// ## Lifecycle
/// [SimClock#participate] → [#close()] once (a second call throws [IllegalStateException]).
/// Nested registrations of one thread are counted; the thread stops participating with the last
/// close. A thread that ends without closing is reaped by the clock thread the next time it
/// looks (recorded in [SimClock#failures()] as an [IllegalStateException]); an *alive* thread
/// that forgets to close stays a participant and, whenever it runs, holds back timeouts.
public sealed interface Participant extends AutoCloseable permits ParticipantHandle {
    /// @return the participating thread
    Thread owner();

    /// Runs `block`, which blocks outside the clock (a semaphore, a queue), with the owner
    /// counted idle while `stillBlocked` holds and the thread is parked. A waker that makes
    /// `stillBlocked` false (releases the semaphore) thereby marks the owner running before it
    /// is even scheduled: there is no window in which everybody looks idle.
    ///
    /// @param stillBlocked evaluated by the clock thread under the clock's lock: must be cheap,
    ///     non-blocking and must not call the clock (a volatile read); if it throws, the owner
    ///     counts as blocked
    /// @param block the blocking call
    /// @param <X> what `block` may throw
    /// @throws X what `block` threw
    /// @throws IllegalStateException if not called by the owner, nested, or after close
    <X extends Throwable> void idleWhile(BooleanSupplier stillBlocked, Blocker<X> block) throws X;

    /// Ends this registration (the thread's last open one ends its participation).
    ///
    /// @throws IllegalStateException on a second call
    @Override
    void close();

    /// A blocking call for [#idleWhile].
    ///
    /// @param <X> the checked exception it may throw
    @FunctionalInterface
    interface Blocker<X extends Throwable> {
        /// Blocks until the owner has work again.
        ///
        /// @throws X when the blocking call fails or is interrupted
        void block() throws X;
    }
}
