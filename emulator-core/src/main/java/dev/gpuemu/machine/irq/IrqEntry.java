package dev.gpuemu.machine.irq;

/// The kernel's interrupt entry (the CPU's exception vector, as far as this machine is concerned).
/// Installed once per [InterruptController].
@FunctionalInterface
public interface IrqEntry {
    /// Handles an interrupt on controller line `line`. Called on the controller's delivery
    /// executor (the clock thread), at most once at a time per line. If the line is still high and
    /// unmasked when this returns, it is called again (level-triggered): the handler must quiet the
    /// device (or mask the line) to stop the deliveries.
    void handle(int line);
}
