package dev.gpuemu.machine.time;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/// One handle returned by [SimClock#participate]: nested handles of a thread share its
/// [Participation].
///
/// ## Thread safety
/// [#close] may be called from any thread, once; [#idleWhile] only by the owner thread.
///
/// ## Lifecycle
/// open → closed once; a second close throws [IllegalStateException].
final class ParticipantHandle implements Participant {
    private final SimClock clock;
    private final Participation participation;
    private final AtomicBoolean closed = new AtomicBoolean();

    ParticipantHandle(SimClock clock, Participation participation) {
        this.clock = clock;
        this.participation = participation;
    }

    @Override
    public Thread owner() {
        return participation.thread;
    }

    @Override
    public <X extends Throwable> void idleWhile(BooleanSupplier stillBlocked, Participant.Blocker<X> block) throws X {
        Objects.requireNonNull(stillBlocked, "stillBlocked");
        Objects.requireNonNull(block, "block");
        Participation p = participation;
        if (Thread.currentThread() != p.thread) {
            throw new IllegalStateException("idleWhile called by " + Thread.currentThread().getName()
                    + ", not by the participant's owner " + p.thread.getName());
        }
        if (closed.get()) {
            throw new IllegalStateException("participant already closed");
        }
        if (p.state == Participation.IDLE_WHILE) {
            throw new IllegalStateException("idleWhile does not nest");
        }
        p.stillBlocked = stillBlocked;
        // ORDERING: volatile store after the predicate; the clock reads state, then the predicate.
        p.state = Participation.IDLE_WHILE;
        clock.participantWentIdle();
        try {
            block.block();
        } finally {
            p.state = Participation.RUNNING;
            p.stillBlocked = null;
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            throw new IllegalStateException("SimClock participant of " + participation.thread.getName()
                    + " already closed");
        }
        clock.leave(participation);
    }
}
