package dev.gpuemu.machine.time;

/// Thrown to a thread that waits on, or schedules on, a [SimClock] that has been closed.
///
/// Unchecked: a waiter cannot do anything useful about a machine that is shutting down except
/// unwind.
public final class ClockClosedException extends RuntimeException {
    /// Creates the exception with the standard message.
    public ClockClosedException() {
        super("simulated clock is closed");
    }
}
