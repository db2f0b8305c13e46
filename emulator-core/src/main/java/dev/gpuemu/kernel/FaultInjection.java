package dev.gpuemu.kernel;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/// The kernel's fault-injection points (Linux `fault_inject` / `should_fail()`): named places in
/// kernel code where a test or the `inject` tooling can force the failure path, optionally running
/// an action at the moment of failure (for example, opening a device node inside the
/// register-failure window).
///
/// Points used so far: `drm.register.primary_minor` (registration fails after the render minor
/// became visible).
///
/// ## Thread safety
/// Thread-safe. An unarmed point costs one map lookup.
public final class FaultInjection {
    private record Armed(AtomicInteger remaining, Runnable atFailure) {
    }

    private final Map<String, Armed> armed = new ConcurrentHashMap<>();
    private final KernelLogSink log;

    /// Where injected failures are reported.
    @FunctionalInterface
    interface KernelLogSink {
        void info(String message);
    }

    FaultInjection(KernelLogSink log) {
        this.log = log;
    }

    /// Makes the next `times` evaluations of `point` fail; `atFailure` (may be null) runs in the
    /// failing thread just before each failure is reported.
    public void arm(String point, int times, Runnable atFailure) {
        Objects.requireNonNull(point, "point");
        if (times < 1) {
            throw new IllegalArgumentException("times must be >= 1");
        }
        armed.put(point, new Armed(new AtomicInteger(times), atFailure));
    }

    /// Disarms `point`.
    public void disarm(String point) {
        armed.remove(point);
    }

    /// `should_fail()`: whether the caller must take its failure path now.
    public boolean shouldFail(String point) {
        Armed a = armed.get(point);
        if (a == null) {
            return false;
        }
        int left = a.remaining().getAndDecrement();
        if (left <= 0) {
            armed.remove(point, a);
            return false;
        }
        if (left == 1) {
            armed.remove(point, a);
        }
        log.info("FAULT_INJECTION: forcing a failure at " + point);
        if (a.atFailure() != null) {
            a.atFailure().run();
        }
        return true;
    }
}
