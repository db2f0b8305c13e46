package dev.gpuemu.kernel.driver;

import dev.gpuemu.kernel.Oopses;
import java.util.Objects;

/// A single-use lifetime token for everything scoped to a binding or a callback: views, MMIO
/// mappings, IRQ registrations, DMA allocations.
///
/// Using a handle whose scope ended is a kernel bug: [#check] counts an oops and throws
/// `UseAfterUnbindException`.
///
/// ## Invariants
/// Alive from construction until [#end]; ended at most once.
///
/// ## Thread safety
/// Thread-safe. `check` is one acquire load on the fast path.
public final class Scope {
    private final Oopses oopses;
    private final String what;
    private volatile boolean alive = true;

    public Scope(Oopses oopses, String what) {
        this.oopses = Objects.requireNonNull(oopses, "oopses");
        this.what = Objects.requireNonNull(what, "what");
    }

    /// Whether the scope is still open (a point check).
    public boolean isAlive() {
        return alive;
    }

    /// Throws (after counting an oops) when the scope has ended.
    public void check(String operation) {
        // ORDERING: volatile read pairs with the volatile write in end().
        if (!alive) {
            throw oopses.useAfterUnbind(operation + " on " + what);
        }
    }

    /// Ends the scope; a second call throws.
    public void end() {
        if (!alive) {
            throw new IllegalStateException("scope already ended: " + what);
        }
        alive = false;
    }

    /// What this scope covers, e.g. `binding of edu to 0000:00:04.0`.
    public String what() {
        return what;
    }

    @Override
    public String toString() {
        return (alive ? "live " : "ended ") + what;
    }
}
