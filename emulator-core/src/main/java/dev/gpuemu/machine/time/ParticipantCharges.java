package dev.gpuemu.machine.time;

/// [SimClock#chargeParticipant]: per thread, the simulated ns charged and not yet slept off; a
/// participant sleeps them off once they reach [SimClock#PARTICIPANT_QUANTUM_NS].
///
/// ## Thread safety
/// The owed amount is thread-local; the participant check takes the clock's lock.
final class ParticipantCharges {
    private final SimClock clock;
    private final ThreadLocal<long[]> owedWork = ThreadLocal.withInitial(() -> new long[1]);

    ParticipantCharges(SimClock clock) {
        this.clock = clock;
    }

    void charge(long ns) {
        long[] owed = owedWork.get();
        owed[0] += ns;
        if (owed[0] < SimClock.PARTICIPANT_QUANTUM_NS) {
            return;
        }
        long due = owed[0];
        owed[0] = 0;
        boolean participant;
        clock.lock.lock();
        try {
            participant = !clock.closed && clock.participants.of(Thread.currentThread()) != null;
        } finally {
            clock.lock.unlock();
        }
        if (participant) {
            try {
                clock.sleep(due);
            } catch (ClockClosedException e) {
                // the machine is shutting down: nothing left to pay for
            }
        }
    }
}
