package dev.gpuemu.machine.time;

/// One scheduled action of a [SimClock]; the node of its [EventQueue] and the [Timer] handed to
/// the caller. The node is the only allocation per event.
///
/// ## Invariants
/// - `(when, seq)` is unique per clock and fixes the event's place in the run order.
/// - `index >= 0` exactly while the event is in the queue.
///
/// ## Thread safety
/// `when` and `seq` are final. `index` and `action` are guarded by the owning clock's lock;
/// [#isPending] and [#cancel] take that lock.
final class Event implements Timer {
    final SimClock clock;
    final long when;
    final long seq;
    /// Nulled when the event leaves the queue, so a run or cancelled timer does not keep its
    /// closure (and whatever device it captures) alive.
    Runnable action;
    int index = -1;

    Event(SimClock clock, long when, long seq, Runnable action) {
        this.clock = clock;
        this.when = when;
        this.seq = seq;
        this.action = action;
    }

    /// @return true if this event runs before `other`: earlier time, or same time and scheduled
    ///     earlier
    boolean before(Event other) {
        return when < other.when || (when == other.when && seq < other.seq);
    }

    @Override
    public boolean cancel() {
        return clock.cancel(this);
    }

    @Override
    public boolean isPending() {
        return clock.isPending(this);
    }

    @Override
    public long deadlineNs() {
        return when;
    }

    @Override
    public String toString() {
        return "Timer[at " + when + " ns, seq " + seq + "]";
    }
}
