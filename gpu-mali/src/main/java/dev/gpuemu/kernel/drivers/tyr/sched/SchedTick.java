package dev.gpuemu.kernel.drivers.tyr.sched;

import dev.gpuemu.machine.time.Participant;
import dev.gpuemu.machine.time.SimClock;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/// The scheduler's tick work (panthor's `tick_work` on `sched->wq`): a kernel thread that runs
/// the scheduler's slot assignment when asked. The poll event runs on the clock thread, which may
/// not wait for a CSG acknowledgement, so it asks the tick instead of binding groups itself.
///
/// The thread is a simulated-time participant, registered before it starts: while a request is
/// pending or the work runs, FAST-mode time stands still, so the work happens at the simulated
/// instant it was asked for.
///
/// ## Thread safety
/// [#request] may be called from any thread, the clock thread included.
///
/// ## Lifecycle
/// started by the constructor → [#close] once (stops the thread and waits for it, bounded).
final class SchedTick implements AutoCloseable {
    private final Semaphore wake = new Semaphore(0);
    private final Runnable work;
    private final Thread thread;
    private final Participant participant;
    private volatile boolean stopping;
    private boolean closed;

    SchedTick(SimClock clock, String name, Runnable work) {
        this.work = work;
        this.thread = Thread.ofPlatform().daemon().name(name).unstarted(this::loop);
        this.participant = clock.participate(thread);
        thread.start();
    }

    /// Asks for one run of the work (requests before it runs merge).
    void request() {
        wake.release();
    }

    private void loop() {
        try (Participant p = participant) {
            while (true) {
                p.idleWhile(() -> wake.availablePermits() == 0, wake::acquire);
                wake.drainPermits();
                if (stopping) {
                    return;
                }
                work.run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /// Stops the thread after the run in progress, if any; a second call throws.
    @Override
    public void close() {
        if (closed) {
            throw new IllegalStateException("scheduler tick already closed");
        }
        closed = true;
        stopping = true;
        wake.release();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
