package dev.gpuemu.kernel;

import dev.gpuemu.kernel.log.KernelLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/// The machine's oops counter: every kernel bug the model detects at run time is recorded here
/// and in the kernel log before the offending call throws.
///
/// ## Invariants
/// `count()` equals the number of reports ever made; `reports()` keeps the first
/// [#MAX_KEPT] messages.
///
/// ## Thread safety
/// Thread-safe.
public final class Oopses {
    /// How many oops messages are kept for reports; the count is always exact.
    public static final int MAX_KEPT = 256;

    private final KernelLog log;
    private final AtomicLong count = new AtomicLong();
    private final List<String> kept = new ArrayList<>();

    public Oopses(KernelLog log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    /// Records a use of a binding-scoped handle after its scope ended and returns the exception
    /// the caller must throw.
    public UseAfterUnbindException useAfterUnbind(String what) {
        record("use after unbind: " + what);
        return new UseAfterUnbindException(what);
    }

    /// Records any other kernel bug and returns the exception the caller must throw.
    public KernelOops bug(String what) {
        record("BUG: " + what);
        return new KernelOops(what);
    }

    private void record(String message) {
        count.incrementAndGet();
        synchronized (kept) {
            if (kept.size() < MAX_KEPT) {
                kept.add(message);
            }
        }
        log.err("Oops: " + message);
    }

    /// Number of oopses so far.
    public long count() {
        return count.get();
    }

    /// The kept oops messages, oldest first.
    public List<String> reports() {
        synchronized (kept) {
            return List.copyOf(kept);
        }
    }
}
