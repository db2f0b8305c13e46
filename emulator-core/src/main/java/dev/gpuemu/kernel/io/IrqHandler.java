package dev.gpuemu.kernel.io;

/// A hard interrupt handler. Runs on the machine's clock thread in "hard IRQ context": it must
/// not sleep (simulated-time waits throw there) and should only read status, acknowledge and
/// defer work.
@FunctionalInterface
public interface IrqHandler {
    IrqReturn handle(int irq);
}
