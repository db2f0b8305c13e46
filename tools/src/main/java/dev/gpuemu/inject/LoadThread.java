package dev.gpuemu.inject;

import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.machine.time.SimClock;
import dev.gpuemu.user.drm.DrmErrnoException;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/// One seeded load thread: its own process and open file ([LoadSession]), running steps until
/// stopped, and a participant of simulated time for its whole life (so FAST-mode timeouts of
/// other waiters are not spurious while it runs).
///
/// Outcomes (invariant 1): a step's successful ioctls count `ok`; `ENODEV` counts `enodev` and
/// is legal only if an unplug began after the file was opened; any other errno counts `other`
/// and is a violation. After an `ENODEV` the thread waits for the unplug to return, checks the
/// sentinel mapping (5) and in-flight fences (7), closes the file (a failing close is a
/// violation of 1) and opens the node again once it is back.
///
/// ## Thread safety
/// [#stop] and [#steps] from any thread; everything else on the load thread.
final class LoadThread implements Runnable {
    /// Simulated time between looks for the device node while it is gone.
    private static final long NODE_POLL_NS = 20_000L;
    /// Real-time bound on waiting for an unplug to return (the injector reports a hang as 4).
    private static final long SETTLE_WALL_NS = TimeUnit.SECONDS.toNanos(30);

    private final Target target;
    private final Checker checker;
    private final SimClock clock;
    private final SplittableRandom rng;
    private final int index;
    private volatile boolean stop;
    private volatile long steps;
    private volatile Throwable crash;

    LoadThread(Target target, Checker checker, long seed, int index) {
        this.target = target;
        this.checker = checker;
        this.clock = target.kernel.clock();
        this.rng = new SplittableRandom(seed);
        this.index = index;
    }

    void stop() {
        stop = true;
    }

    /// Steps done so far (the injector paces its cycles on them).
    long steps() {
        return steps;
    }

    /// An unexpected exception that ended the thread, or null.
    Throwable crash() {
        return crash;
    }

    @Override
    public void run() {
        clock.participating(this::loop);
    }

    private void loop() {
        Process proc = target.kernel.spawn("inject-load-" + index, false);
        LoadSession s = null;
        try {
            while (!stop) {
                if (s == null) {
                    s = open(proc);
                    if (s == null) {
                        clock.sleep(NODE_POLL_NS);
                    }
                    continue;
                }
                try {
                    s.step(rng);
                    checker.ok(take(s));
                } catch (DrmErrnoException e) {
                    checker.ok(take(s));
                    failed(s, e);
                    s = close(s);
                }
                steps++;
            }
        } catch (RuntimeException | Error e) {
            crash = e;
            checker.violation(1, "load thread " + index + " crashed: " + e);
        } finally {
            if (s != null) {
                close(s);
            }
            proc.close();
        }
    }

    private static int take(LoadSession s) {
        int n = s.okCalls;
        s.okCalls = 0;
        return n;
    }

    /// A new session on the load node, or null while the device is gone.
    private LoadSession open(Process proc) {
        Optional<String> node = target.loadNode();
        if (node.isEmpty()) {
            return null;
        }
        long epoch = checker.unplugsBegun();
        boolean during = !checker.unplugsSettled();
        try {
            return target.open(proc, checker, node.get(), rng.nextLong());
        } catch (DrmErrnoException e) {
            Errno err = e.errno();
            if (err == Errno.ENOENT || e.operation().startsWith("open")) {
                // open(2) is not an ioctl: the node went away between the lookup and the open, or
                // the device behind it is unplugging (drm_minor_acquire answers ENODEV).
                return null;
            }
            if (err == Errno.ENODEV) {
                checker.enodev();
                if (!during && checker.unplugsBegun() == epoch) {
                    checker.violation(1, target.kind + " open/setup: " + e.getMessage() + " before any unplug began");
                }
                return null;
            }
            checker.other();
            checker.violation(1, target.kind + " open/setup: " + e.getMessage());
            return null;
        }
    }

    private void failed(LoadSession s, DrmErrnoException e) {
        if (e.errno() != Errno.ENODEV) {
            checker.other();
            checker.violation(1, s.driver() + ": " + e.getMessage());
            return;
        }
        checker.enodev();
        if (!s.enodevAllowed(checker)) {
            checker.violation(1, s.driver() + ": " + e.getMessage() + " but no unplug began since the file was opened");
            return;
        }
        long deadline = System.nanoTime() + SETTLE_WALL_NS;
        while (!checker.unplugsSettled() && !stop && System.nanoTime() < deadline) {
            clock.sleep(NODE_POLL_NS);
        }
        if (checker.unplugsSettled()) {
            s.checkAfterUnplug(checker);
        }
    }

    private LoadSession close(LoadSession s) {
        try {
            s.close();
        } catch (DrmErrnoException e) {
            checker.violation(1, s.driver() + ": closing the file failed: " + e.getMessage());
        }
        return null;
    }
}
