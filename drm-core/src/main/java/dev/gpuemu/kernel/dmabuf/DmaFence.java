package dev.gpuemu.kernel.dmabuf;

import dev.gpuemu.machine.time.SimClock;
import java.util.Objects;

/// `struct dma_fence`: a one-shot completion in simulated time. A driver creates it unsignaled for
/// a job and signals it when the job ends; waiters block in simulated time.
///
/// ## Invariants
/// Signaled at most once; once signaled it stays signaled, with the simulated time of signaling
/// and an optional error (`dma_fence_set_error`, negative errno).
///
/// ## Thread safety
/// Thread-safe. `signal` may run on the clock thread (IRQ handlers) or any kernel thread.
public final class DmaFence {
    private final SimClock clock;
    private final String timeline;
    private final long seqno;
    private volatile boolean signaled;
    private volatile long timestampNs = -1;
    private volatile int error;

    /// An unsignaled fence on `timeline` with sequence number `seqno`.
    public DmaFence(SimClock clock, String timeline, long seqno) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeline = Objects.requireNonNull(timeline, "timeline");
        this.seqno = seqno;
    }

    /// `dma_fence_get_stub`-like: an already signaled fence.
    public static DmaFence signaledStub(SimClock clock) {
        DmaFence f = new DmaFence(clock, "stub", 0);
        f.signal();
        return f;
    }

    /// `dma_fence_signal`: returns false when it was already signaled.
    public boolean signal() {
        synchronized (this) {
            if (signaled) {
                return false;
            }
            timestampNs = clock.nowNs();
            // ORDERING: volatile store publishes the timestamp and error to waiters.
            signaled = true;
        }
        if (!clock.onClockThread()) {
            clock.kick(); // waiters re-check; on the clock thread they are re-evaluated anyway
        }
        return true;
    }

    /// `dma_fence_set_error` before signaling.
    public void setError(int negativeErrno) {
        if (negativeErrno >= 0) {
            throw new IllegalArgumentException("error must be a negative errno");
        }
        synchronized (this) {
            if (signaled) {
                throw new IllegalStateException("error set on a signaled fence");
            }
            error = negativeErrno;
        }
    }

    public boolean isSignaled() {
        return signaled;
    }

    /// Simulated time of signaling, or -1.
    public long timestampNs() {
        return timestampNs;
    }

    /// 0 or the negative errno the job failed with.
    public int error() {
        return error;
    }

    /// `dma_fence_wait_timeout` in simulated time: true when signaled within `timeoutNs`.
    public boolean await(long timeoutNs) {
        return signaled || clock.await(this::isSignaled, timeoutNs);
    }

    @Override
    public String toString() {
        return "fence " + timeline + "#" + seqno + (signaled ? " signaled" : "");
    }
}
