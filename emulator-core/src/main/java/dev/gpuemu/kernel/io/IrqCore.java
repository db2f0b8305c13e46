package dev.gpuemu.kernel.io;

import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.KernelOops;
import dev.gpuemu.machine.irq.InterruptController;
import dev.gpuemu.machine.irq.IrqEntry;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/// The kernel's generic IRQ layer: the interrupt entry the controller calls, the per-line action
/// lists (shared lines allowed), spurious-interrupt accounting, and `synchronize_irq`.
///
/// ## Spurious interrupts
/// A line that is asserted with no registered action, or whose actions all answer
/// [IrqReturn#NONE] [#NOBODY_CARED_LIMIT] times in a row, is logged (`irq N: nobody cared`)
/// and masked at the controller, as Linux's `note_interrupt` does.
///
/// ## Thread safety
/// Handlers run on the clock thread. Registration and free may happen on any thread: action
/// arrays are copy-on-write and `free` waits for a handler in flight on its line.
public final class IrqCore implements IrqEntry {
    /// Consecutive unhandled deliveries after which a line is disabled.
    public static final int NOBODY_CARED_LIMIT = 100;

    private final Kernel kernel;
    private final InterruptController controller;
    private final int lines;
    private volatile IrqRegistration[][] actions;
    private final int[] unhandled;
    private final AtomicInteger[] inFlight;
    private final AtomicInteger[] threadsPending;

    public IrqCore(Kernel kernel, InterruptController controller) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        this.controller = Objects.requireNonNull(controller, "controller");
        this.lines = controller.lines();
        IrqRegistration[][] a = new IrqRegistration[lines][];
        Arrays.fill(a, new IrqRegistration[0]);
        this.actions = a;
        this.unhandled = new int[lines];
        this.inFlight = new AtomicInteger[lines];
        this.threadsPending = new AtomicInteger[lines];
        for (int i = 0; i < lines; i++) {
            inFlight[i] = new AtomicInteger();
            threadsPending[i] = new AtomicInteger();
        }
    }

    /// Installs this core as the controller's interrupt entry.
    public void install() {
        controller.setEntry(this);
    }

    @Override
    public void handle(int line) {
        if (line < 0 || line >= lines) {
            return;
        }
        IrqRegistration[] list = actions[line];
        if (list.length == 0) {
            kernel.log().err("irq " + line + ": unexpected IRQ trap, no handler; disabling");
            controller.mask(line);
            return;
        }
        inFlight[line].incrementAndGet();
        boolean handled = false;
        try {
            for (IrqRegistration r : list) {
                IrqReturn ret = r.invokeHard(line);
                if (ret == IrqReturn.WAKE_THREAD) {
                    // ONESHOT: keep the level-triggered line masked until every woken thread of
                    // the line finished (threadDone), as Linux does for shared oneshot lines.
                    threadsPending[line].incrementAndGet();
                    controller.mask(line);
                    r.wakeThread();
                }
                handled |= ret != IrqReturn.NONE;
            }
        } finally {
            inFlight[line].decrementAndGet();
        }
        if (handled) {
            unhandled[line] = 0;
        } else if (++unhandled[line] >= NOBODY_CARED_LIMIT) {
            kernel.log().err("irq " + line + ": nobody cared (try booting with the \"irqpoll\" option)");
            kernel.log().err("Disabling IRQ #" + line);
            controller.mask(line);
        }
    }

    synchronized void add(IrqRegistration r) {
        IrqRegistration[][] a = actions.clone();
        IrqRegistration[] list = Arrays.copyOf(a[r.irq()], a[r.irq()].length + 1);
        list[list.length - 1] = r;
        a[r.irq()] = list;
        unhandled[r.irq()] = 0;
        actions = a;
        controller.unmask(r.irq());
    }

    synchronized void remove(IrqRegistration r) {
        IrqRegistration[][] a = actions.clone();
        a[r.irq()] = Arrays.stream(a[r.irq()]).filter(x -> x != r).toArray(IrqRegistration[]::new);
        actions = a;
        if (a[r.irq()].length == 0) {
            controller.mask(r.irq());
        }
    }

    /// A woken threaded handler of `line` finished (or will never run): unmask the line once no
    /// woken thread of it is pending.
    void threadDone(int line) {
        if (threadsPending[line].decrementAndGet() == 0 && actions[line].length > 0) {
            controller.unmask(line);
        }
    }

    /// `synchronize_irq`: waits until no handler runs on `line`. Must not be called from a
    /// handler (it would wait for itself).
    public void synchronize(int line) {
        if (kernel.clock().onClockThread()) {
            throw new KernelOops("synchronize_irq(" + line + ") from interrupt context");
        }
        // A hard handler is short; spin briefly, then back off so a long one does not burn a core.
        for (int spins = 0; inFlight[line].get() != 0; spins++) {
            if (spins < 1_000) {
                Thread.onSpinWait();
            } else {
                java.util.concurrent.locks.LockSupport.parkNanos(20_000);
            }
        }
    }

    /// Number of interrupt lines.
    public int lines() {
        return lines;
    }

    Kernel kernel() {
        return kernel;
    }
}
