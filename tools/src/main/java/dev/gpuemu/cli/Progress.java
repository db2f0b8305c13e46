package dev.gpuemu.cli;

import dev.gpuemu.machine.time.SimClock;
import java.io.PrintStream;
import java.util.concurrent.locks.LockSupport;

/// The progress line of a long run: once a run has taken a second of wall time, a line on
/// stderr shows simulated and wall time, rewritten in place four times a second and erased at
/// the end. Only on a terminal, never in CI (`CI` set) and never with `--json`.
///
/// ## Thread safety
/// One daemon thread reads the clock's time (a thread-safe read) and writes stderr.
///
/// ## Lifecycle
/// [#start] → [#close] once; close stops the thread and erases the line if one was drawn.
final class Progress implements AutoCloseable {
    private static final long FIRST_NS = 1_000_000_000L;
    private static final long PERIOD_NS = 250_000_000L;

    private final Thread thread;
    private final PrintStream err;
    private volatile boolean done;
    private volatile boolean drawn;
    private boolean closed;

    private Progress(SimClock clock, boolean enabled, PrintStream err) {
        this.err = err;
        if (!enabled) {
            thread = null;
            return;
        }
        long start = System.nanoTime();
        thread = Thread.ofPlatform().daemon().name("gpuemu-progress").unstarted(() -> {
            LockSupport.parkNanos(FIRST_NS);
            while (!done) {
                double wall = (System.nanoTime() - start) / 1e9;
                err.printf("\r  running: %.6f s simulated, %.1f s wall ", clock.nowNs() / 1e9, wall);
                err.flush();
                drawn = true;
                LockSupport.parkNanos(PERIOD_NS);
            }
        });
        thread.start();
    }

    /// Whether a progress line is wanted: stderr is a terminal, `CI` is not set, no JSON report.
    static boolean wanted(boolean json) {
        var console = System.console();
        return !json && console != null && console.isTerminal() && System.getenv("CI") == null;
    }

    static Progress start(SimClock clock, boolean enabled) {
        return start(clock, enabled, System.err);
    }

    static Progress start(SimClock clock, boolean enabled, PrintStream err) {
        return new Progress(clock, enabled, err);
    }

    @Override
    public void close() {
        if (closed) {
            throw new IllegalStateException("progress already closed");
        }
        closed = true;
        if (thread == null) {
            return;
        }
        done = true;
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (drawn) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
