package dev.gpuemu.inject;

import dev.gpuemu.kernel.drm.DrmCore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/// The invariant checker's shared state: the violations seen, the ioctl outcome counts, the unplug
/// epochs the load threads judge `ENODEV` against, and the unplug latency histogram.
///
/// Epochs: the injector calls [#unplugBegins] right before it starts anything that unplugs the
/// device (an unbind, a remove, a bind armed to fail) and [#unplugEnded] when that returned. A
/// file opened at epoch `e` may legitimately see `ENODEV` only once [#unplugsBegun] `> e`
/// (invariant 1).
///
/// It is also the DRM core's [DrmCore.HandlerProbe]: a driver handler that enters or returns
/// while its device's unplug has completed breaks invariant 2.
///
/// ## Thread safety
/// Thread-safe. The histogram is recorded by the injector thread only and read after the run.
public final class Checker implements DrmCore.HandlerProbe {
    /// Violations kept for the report; more are counted but not kept.
    static final int MAX_KEPT = 1_000;

    private final List<Violation> kept = new ArrayList<>();
    private final AtomicLong violations = new AtomicLong();
    private final LongAdder ok = new LongAdder();
    private final LongAdder enodev = new LongAdder();
    private final LongAdder other = new LongAdder();
    private final AtomicLong unplugsBegun = new AtomicLong();
    private final AtomicLong unplugsEnded = new AtomicLong();
    private final AtomicLong handlerRuns = new AtomicLong();
    private final Histogram latencyNs = new Histogram(3_600_000_000_000L, 3);
    private volatile long step;

    /// The current step (0 setup, 1..K cycles, K+1 teardown).
    public long step() {
        return step;
    }

    void setStep(long s) {
        step = s;
    }

    /// Records a violation of `invariant` at the current step.
    public void violation(int invariant, String detail) {
        violation(invariant, step, detail);
    }

    /// Records a violation of `invariant` at `atStep`.
    public void violation(int invariant, long atStep, String detail) {
        Violation v = new Violation(invariant, atStep, detail);
        violations.incrementAndGet();
        synchronized (kept) {
            if (kept.size() < MAX_KEPT) {
                kept.add(v);
            }
        }
    }

    /// The violations kept (at most [#MAX_KEPT]), in the order seen.
    public List<Violation> violations() {
        synchronized (kept) {
            return List.copyOf(kept);
        }
    }

    /// All violations seen, kept or not.
    public long violationCount() {
        return violations.get();
    }

    // ---- ioctl outcomes (invariant 1) ----

    void ok(int n) {
        ok.add(n);
    }

    void enodev() {
        enodev.increment();
    }

    void other() {
        other.increment();
    }

    long okCount() {
        return ok.sum();
    }

    long enodevCount() {
        return enodev.sum();
    }

    long otherCount() {
        return other.sum();
    }

    // ---- unplug epochs ----

    /// The injector is about to unplug the device.
    void unplugBegins() {
        unplugsBegun.incrementAndGet();
    }

    /// The unplug begun last has returned.
    void unplugEnded() {
        unplugsEnded.incrementAndGet();
    }

    /// Unplugs begun so far (an `ENODEV` needs one begun after the file was opened).
    public long unplugsBegun() {
        return unplugsBegun.get();
    }

    /// Whether every unplug begun has returned.
    public boolean unplugsSettled() {
        return unplugsEnded.get() >= unplugsBegun.get();
    }

    // ---- latency ----

    void recordUnplug(long ns) {
        latencyNs.recordValue(Math.max(0, ns));
    }

    /// The unplug latency distribution in ns (read after the run).
    Histogram latencyNs() {
        return latencyNs;
    }

    /// Driver handler bodies seen by the probe.
    public long handlerRuns() {
        return handlerRuns.get();
    }

    // ---- invariant 2 ----

    @Override
    public void handler(String driver, String parent, String ioctl, boolean entering, boolean unplugCompleted) {
        if (entering) {
            handlerRuns.incrementAndGet();
        }
        if (unplugCompleted) {
            violation(2, "driver handler " + ioctl + " of " + driver + " on " + parent
                    + (entering ? " entered" : " was still running") + " after unplug completed");
        }
    }
}
