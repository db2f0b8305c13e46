package dev.gpuemu.kernel.io;

/// What a hard interrupt handler reports (`irqreturn_t`).
public enum IrqReturn {
    /// The interrupt was not from this device.
    NONE,
    /// Handled completely in the hard handler.
    HANDLED,
    /// Handled; run the threaded handler (the line stays masked until it returns: ONESHOT).
    WAKE_THREAD
}
