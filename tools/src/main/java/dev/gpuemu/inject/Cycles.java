package dev.gpuemu.inject;

import dev.gpuemu.kernel.drm.DrmCore;
import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.user.drm.DrmClient;
import dev.gpuemu.user.drm.DrmErrnoException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/// The injection cycles of one run: when to strike (after a seeded number of load steps and a
/// seeded real-time delay, so unbinds land mid-ioctl, mid-mmap and with jobs in flight) and what
/// to do (the [InjectMode]; one unbind in four in `unbind` mode lands in the middle of the
/// rebind's probe). Every cycle ends with the device bound and health-checked.
///
/// ## Thread safety
/// Confined to the injector thread, except the probe-fail window action, which runs on the
/// binding worker while the injector waits for it.
final class Cycles {
    /// Real-time bound on waiting for load progress before a strike.
    private static final long PACE_WALL_NS = TimeUnit.SECONDS.toNanos(2);
    /// Largest seeded real-time delay before a strike.
    private static final int MAX_DELAY_US = 200;

    private final Injector inj;
    private final Checker checker;
    private final InjectMode mode;
    private final Map<String, Long> counts = new TreeMap<>();
    private Process windowProc;
    private volatile DrmClient windowFile;

    Cycles(Injector inj, InjectMode mode) {
        this.inj = inj;
        this.mode = mode;
        this.checker = inj.checker;
    }

    /// How many cycles of each kind ran.
    Map<String, Long> counts() {
        return Map.copyOf(counts);
    }

    /// Waits until every load thread made a seeded number of steps since the last strike (or
    /// the bound passed), then a seeded real-time delay.
    void pace(List<LoadThread> loads) {
        int want = 1 + inj.rng.nextInt(6);
        long[] start = new long[loads.size()];
        for (int i = 0; i < start.length; i++) {
            start[i] = loads.get(i).steps();
        }
        long deadline = System.nanoTime() + PACE_WALL_NS;
        while (System.nanoTime() < deadline) {
            boolean ready = true;
            for (int i = 0; i < start.length && ready; i++) {
                ready = loads.get(i).steps() - start[i] >= want;
            }
            if (ready) {
                break;
            }
            Injector.park(20_000L);
        }
        Injector.park(inj.rng.nextInt(MAX_DELAY_US) * 1_000L);
    }

    /// One cycle: strike, bring the device back, health check.
    void cycle() {
        switch (pick()) {
            case REMOVE -> remove();
            case PROBE_FAIL -> probeFail();
            default -> unbind();
        }
        if (!inj.hung()) {
            inj.health();
        }
    }

    private InjectMode pick() {
        if (mode != InjectMode.MIXED) {
            return mode;
        }
        List<InjectMode> choices = new ArrayList<>(List.of(InjectMode.UNBIND, InjectMode.PROBE_FAIL));
        if (inj.target.supportsRemove()) {
            choices.add(InjectMode.REMOVE);
        }
        return choices.get(inj.rng.nextInt(choices.size()));
    }

    private void count(String what) {
        counts.merge(what, 1L, Long::sum);
    }

    private void unbind() {
        boolean midProbe = inj.rng.nextInt(4) == 0;
        if (inj.unplug("unbind", inj.target::unbind) == Integer.MIN_VALUE) {
            return;
        }
        if (!midProbe) {
            count("unbind");
            inj.rebind();
            return;
        }
        count("unbind-mid-probe");
        Future<Integer> bind = inj.start(inj.target::bind);
        Injector.park(inj.rng.nextInt(50) * 1_000L);
        checker.unplugBegins();
        int rc;
        try {
            rc = inj.timed("unbind during probe", () -> inj.target.unbind());
        } finally {
            checker.unplugEnded();
        }
        int brc = inj.await("bind", bind);
        if (rc != 0 && rc != Errno.ENODEV.negative() && rc != Integer.MIN_VALUE) {
            checker.violation(4, "unbind during probe failed: " + Target.errno(rc));
        }
        if (brc != 0 && brc != Integer.MIN_VALUE) {
            checker.violation(8, "bind raced by an unbind failed: " + Target.errno(brc));
        }
        if (!inj.hung()) {
            inj.rebind();
        }
    }

    private void remove() {
        count("remove");
        if (inj.unplug("remove", inj.target::remove) == Integer.MIN_VALUE) {
            return;
        }
        int rc = inj.timed("rescan", inj.target::rescan);
        if (rc != 0 && rc != Integer.MIN_VALUE) {
            checker.violation(8, "rescan failed: " + Target.errno(rc));
        }
        if (!inj.hung()) {
            inj.rebind();
        }
    }

    private void probeFail() {
        count("probe-fail");
        if (inj.unplug("unbind", inj.target::unbind) == Integer.MIN_VALUE) {
            return;
        }
        if (windowProc == null) {
            windowProc = inj.kernel().spawn("inject-window", false);
        }
        inj.kernel().faults().arm(DrmCore.FAULT_PRIMARY_MINOR, 1, this::openInWindow);
        checker.unplugBegins();
        int rc;
        try {
            rc = inj.timed("bind with an injected registration failure", inj.target::bind);
        } finally {
            checker.unplugEnded();
            inj.kernel().faults().disarm(DrmCore.FAULT_PRIMARY_MINOR);
        }
        if (rc != Integer.MIN_VALUE && !inj.target.registrationFailureSeen(rc)) {
            checker.violation(8, "a bind with an injected registration failure answered " + (rc == 0 ? "0" : Target.errno(rc))
                    + (inj.target.isReady() ? " and its DRM device is bound" : ""));
        }
        DrmClient w = windowFile;
        windowFile = null;
        if (w != null) {
            try {
                w.version();
                checker.other();
                checker.violation(1, "a file opened in the register-failure window still answers VERSION");
            } catch (DrmErrnoException e) {
                if (e.errno() == Errno.ENODEV) {
                    checker.enodev();
                } else {
                    checker.other();
                    checker.violation(1, "window file: " + e.getMessage());
                }
            }
            try {
                w.close();
            } catch (DrmErrnoException e) {
                checker.violation(1, "closing the window file failed: " + e.getMessage());
            }
        }
        if (!inj.hung()) {
            inj.rebind();
        }
    }

    /// Runs in the failing probe, after the render node became visible: userspace opens it.
    private void openInWindow() {
        inj.target.nodePath(true).or(() -> inj.target.nodePath(false)).ifPresent(node -> {
            try {
                DrmClient c = DrmClient.open(windowProc, node);
                c.version();
                checker.ok(3);
                windowFile = c;
            } catch (DrmErrnoException e) {
                // the node is not visible: nothing to open in the window
            }
        });
    }

    /// Closes the window process (end of run).
    void close() {
        if (windowProc != null) {
            windowProc.close();
        }
    }
}
