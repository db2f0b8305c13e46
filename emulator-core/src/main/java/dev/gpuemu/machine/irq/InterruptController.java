package dev.gpuemu.machine.irq;

import dev.gpuemu.machine.GuestErrors;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/// A level-triggered interrupt controller with `lines` inputs and one output: the kernel's
/// [IrqEntry].
///
/// Delivery rule: while a line is high, unmasked and an entry is installed, the controller posts a
/// delivery for it through `deliver` (the board wires that to the clock thread). At most one
/// delivery per line is outstanding. A delivery that runs while its line is still high and
/// unmasked calls `entry.handle(n)`; if the line is low or masked by then it is dropped without a
/// call (no spurious interrupts). After `handle` returns, a line that is still high and unmasked is
/// posted again, as a level-triggered input keeps interrupting until the device is quieted.
/// Lowering a line needs no action; unmasking a high line, installing the entry, or raising an
/// unmasked line posts.
///
/// Lines start **unmasked**; the kernel masks what it does not want.
///
/// `deliver` should run tasks later, not inline: with an inline executor a handler that leaves its
/// line high recurses.
///
/// ## Invariants
/// Per line, `POSTED` is set exactly while one delivery task is queued or running.
///
/// ## Thread safety
/// Every method may be called from any thread. Per-line state is one int (level, masked, posted)
/// changed by CAS; the entry is a write-once volatile.
///
/// ## Lifecycle
/// Created by the board; [#setEntry(IrqEntry)] once when the kernel boots.
public final class InterruptController {
    private static final int LEVEL = 1;
    private static final int MASKED = 2;
    private static final int POSTED = 4;

    private final Executor deliver;
    private final GuestErrors errors;
    private final AtomicIntegerArray state;
    private final AtomicLongArray deliveries;
    private final IrqLine[] lines;
    private final Runnable[] deliverers;
    private volatile IrqEntry entry;

    /// @param lines number of input lines (1..1024)
    /// @param deliver runs deliveries (the clock thread's executor)
    /// @param errors the machine's guest-error counter
    public InterruptController(int lines, Executor deliver, GuestErrors errors) {
        if (lines < 1 || lines > 1024) {
            throw new IllegalArgumentException("lines must be 1..1024: " + lines);
        }
        this.deliver = Objects.requireNonNull(deliver, "deliver");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.state = new AtomicIntegerArray(lines);
        this.deliveries = new AtomicLongArray(lines);
        this.lines = new IrqLine[lines];
        this.deliverers = new Runnable[lines];
        for (int n = 0; n < lines; n++) {
            this.lines[n] = new IrqLine(this, n);
            final int line = n;
            this.deliverers[n] = () -> runDelivery(line);
        }
    }

    /// Number of input lines.
    public int lines() {
        return lines.length;
    }

    /// The guest-error counter this controller was built with.
    public GuestErrors errors() {
        return errors;
    }

    /// Input line `n`, to hand to a device model.
    public IrqLine line(int n) {
        return lines[check(n)];
    }

    /// Installs the kernel's interrupt entry and posts every line already high and unmasked.
    ///
    /// @throws IllegalStateException if an entry is already installed
    public synchronized void setEntry(IrqEntry e) {
        Objects.requireNonNull(e, "entry");
        if (entry != null) {
            throw new IllegalStateException("interrupt entry already installed");
        }
        entry = e;
        for (int n = 0; n < lines.length; n++) {
            tryPost(n);
        }
    }

    /// Masks line `n`: no new delivery calls `handle` while masked.
    public void mask(int n) {
        check(n);
        int s;
        do {
            s = state.get(n);
        } while (!state.compareAndSet(n, s, s | MASKED));
    }

    /// Unmasks line `n`; posts a delivery if it is high.
    public void unmask(int n) {
        check(n);
        int s;
        do {
            s = state.get(n);
        } while (!state.compareAndSet(n, s, s & ~MASKED));
        tryPost(n);
    }

    /// Whether line `n` is masked.
    public boolean isMasked(int n) {
        return (state.get(check(n)) & MASKED) != 0;
    }

    /// The level device models currently drive on line `n`.
    public boolean level(int n) {
        return (state.get(check(n)) & LEVEL) != 0;
    }

    /// How many times `entry.handle(n)` has been called.
    public long deliveries(int n) {
        return deliveries.get(check(n));
    }

    void setLevel(int n, boolean high) {
        int s;
        do {
            s = state.get(n);
        } while (!state.compareAndSet(n, s, high ? s | LEVEL : s & ~LEVEL));
        if (high) {
            tryPost(n);
        }
    }

    /// Posts a delivery for `n` if it is high, unmasked, not already posted and an entry exists.
    private void tryPost(int n) {
        if (entry == null) {
            return;
        }
        int s;
        do {
            s = state.get(n);
            if ((s & (LEVEL | MASKED | POSTED)) != LEVEL) {
                return;
            }
        } while (!state.compareAndSet(n, s, s | POSTED));
        execute(n);
    }

    private void execute(int n) {
        try {
            deliver.execute(deliverers[n]);
        } catch (RuntimeException e) {
            clearPosted(n);
            throw e;
        }
    }

    private void runDelivery(int n) {
        if ((state.get(n) & (LEVEL | MASKED)) == LEVEL) {
            deliveries.incrementAndGet(n);
            try {
                entry.handle(n);
            } catch (RuntimeException | Error e) {
                clearPosted(n); // an entry that throws is an emulator bug: stop delivering, propagate
                throw e;
            }
        }
        // Level-triggered: still asserted and unmasked after the handler means interrupt again.
        // POSTED stays set across the repost, so no concurrent raise can post a second delivery.
        int s;
        do {
            s = state.get(n);
            if ((s & (LEVEL | MASKED)) == LEVEL) {
                execute(n);
                return;
            }
        } while (!state.compareAndSet(n, s, s & ~POSTED));
    }

    private void clearPosted(int n) {
        int s;
        do {
            s = state.get(n);
        } while (!state.compareAndSet(n, s, s & ~POSTED));
    }

    private int check(int n) {
        if (n < 0 || n >= lines.length) {
            throw new IndexOutOfBoundsException("IRQ line " + n + " of " + lines.length);
        }
        return n;
    }
}
