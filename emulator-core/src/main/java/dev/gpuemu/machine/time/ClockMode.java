package dev.gpuemu.machine.time;

/// How a [SimClock] relates simulated time to wall time.
public enum ClockMode {
    /// Simulated time advances only while some thread waits in [SimClock#sleep] or
    /// [SimClock#await]; idle gaps are skipped. With no waiter, time stands still.
    FAST,
    /// Simulated time tracks wall time: one simulated nanosecond per wall nanosecond since the
    /// clock was created. Events run when their time arrives, waiters wake at their deadlines.
    PACED
}
