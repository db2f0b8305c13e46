package dev.gpuemu.kernel.io;

import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.KernelOops;
import dev.gpuemu.kernel.driver.Bound;
import dev.gpuemu.kernel.driver.Device;
import dev.gpuemu.kernel.driver.Devres;
import dev.gpuemu.kernel.driver.Scope;
import dev.gpuemu.machine.time.Participant;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;

/// A registered interrupt handler (`devm_request_irq` / `devm_request_threaded_irq`), owned by
/// the binding that requested it and freed by devres at unbind.
///
/// ## Invariants
/// After [#free] returned (or devres freed it), neither the hard handler nor the thread
/// function runs again and neither is running.
///
/// ## Thread safety
/// Thread-safe.
///
/// ## Lifecycle
/// requested → freed once (explicitly or by devres). The threaded handler's kernel thread lives
/// exactly as long as the registration.
///
/// ## Simulated time
/// The threaded handler's thread is a [Participant] of the kernel's clock for its whole life,
/// registered before it starts. It is idle only while parked with no wake-up pending: the hard
/// handler's [#wakeThread] (on the clock thread) makes it count as running before the clock
/// decides anything else, so a FAST-mode wait for what the thread function completes never
/// times out while the thread has work or runs.
public final class IrqRegistration {
    private final IrqCore core;
    private final int irq;
    private final String name;
    private final IrqHandler hard;
    private final IrqThreadFn threadFn;
    private final Scope scope;
    private final Semaphore wake = new Semaphore(0);
    /// Read by the clock thread: the IRQ thread is idle only while no wake-up is pending.
    private final BooleanSupplier noWakePending = () -> wake.availablePermits() == 0;
    private final Participant.Blocker<InterruptedException> takeWake = wake::acquire;
    private final Thread thread;
    /// The IRQ thread's clock registration; set before the thread starts (start publishes it).
    private Participant participant;
    private final Devres.Action devres;

    private IrqRegistration(Device<? extends Bound> dev, int irq, String name, IrqHandler hard, IrqThreadFn threadFn) {
        this.core = dev.kernel().irqCore();
        this.irq = irq;
        this.name = name;
        this.hard = hard;
        this.threadFn = threadFn;
        this.scope = new Scope(dev.kernel().oopses(), "irq " + irq + " (" + name + ") of " + dev.node());
        this.thread = threadFn == null ? null
                : Thread.ofPlatform().daemon().name("irq/" + irq + "-" + name).unstarted(this::threadLoop);
        this.devres = Devres.add(dev, "free_irq " + irq, this::release);
    }

    /// Requests `irq` for the bound device with a hard handler.
    public static IrqRegistration request(Device<? extends Bound> dev, int irq, String name, IrqHandler handler)
            throws KernelException {
        return requestThreaded(dev, irq, name, handler, null);
    }

    /// Requests `irq` with a hard handler and a threaded handler (ONESHOT semantics: the line
    /// stays masked from a [IrqReturn#WAKE_THREAD] answer until the thread function returned).
    public static IrqRegistration requestThreaded(Device<? extends Bound> dev, int irq, String name,
                                                  IrqHandler handler, IrqThreadFn threadFn) throws KernelException {
        dev.checkProof("request_irq " + irq);
        if (irq < 0 || irq >= dev.kernel().irqCore().lines()) {
            throw new KernelException(Errno.EINVAL, "no such irq " + irq);
        }
        IrqRegistration r = new IrqRegistration(dev, irq, name, handler, threadFn);
        if (r.thread != null) {
            r.participant = dev.kernel().clock().participate(r.thread);
            r.thread.start();
        }
        r.core.add(r);
        return r;
    }

    public int irq() {
        return irq;
    }

    public String name() {
        return name;
    }

    /// Whether the handler is still registered.
    public boolean isActive() {
        return scope.isAlive();
    }

    /// `devm_free_irq`: frees the handler now instead of at unbind.
    public void free() {
        if (!devres.release()) {
            throw new IllegalStateException("irq " + irq + " (" + name + ") already freed");
        }
    }

    private void release() {
        scope.end();
        core.remove(this);
        core.synchronize(irq);
        if (thread != null) {
            // free_irq waits for a running thread function; wake-ups it never took are settled
            // so the line does not stay masked for the remaining sharers.
            thread.interrupt();
            boolean interrupted = false;
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            for (int lost = wake.drainPermits(); lost > 0; lost--) {
                core.threadDone(irq);
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    IrqReturn invokeHard(int line) {
        if (!scope.isAlive()) {
            return IrqReturn.NONE;
        }
        try {
            IrqReturn r = hard.handle(line);
            if (r == IrqReturn.WAKE_THREAD && thread == null) {
                throw core.kernel().oopses().bug("irq " + irq + " (" + name + ") asked to wake a thread it does not have");
            }
            return r;
        } catch (KernelOops e) {
            return IrqReturn.NONE;
        } catch (RuntimeException e) {
            core.kernel().oopses().bug("irq " + irq + " (" + name + ") handler threw " + e);
            return IrqReturn.NONE;
        }
    }

    void wakeThread() {
        // Runs on the clock thread inside the IRQ delivery event: the permit turns
        // noWakePending false, so the IRQ thread counts as running before the clock looks at
        // its participants again, even if the thread is not scheduled yet.
        wake.release();
    }

    private void threadLoop() {
        try (Participant p = participant) {
            while (true) {
                try {
                    p.idleWhile(noWakePending, takeWake);
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    threadFn.run(irq);
                } catch (KernelOops e) {
                    // counted where detected
                } catch (RuntimeException e) {
                    core.kernel().oopses().bug("irq " + irq + " (" + name + ") thread threw " + e);
                } finally {
                    core.threadDone(irq);
                }
            }
        }
    }
}
