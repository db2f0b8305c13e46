package dev.gpuemu.kernel.io;

/// The threaded part of an interrupt handler (`request_threaded_irq`): runs on the registration's
/// own kernel thread and may sleep in simulated time.
@FunctionalInterface
public interface IrqThreadFn {
    void run(int irq);
}
