package dev.gpuemu.hw.nvidia;

/// How the host block raises interrupts in the GA102 top's interrupt tree. The top owns the
/// pending/enable registers and the PCI INTx line; the host only sets pending bits.
///
/// ## Thread safety
/// Called with the device lock held.
public interface NvInterruptPort {
    /// Sets the non-stall interrupt pending for `channel` (a semaphore release that asked for an
    /// interrupt) and re-evaluates the INTx line.
    void raiseNonStall(int channel);

    /// Sets the stall interrupt pending for `channel` (a fault or an invalid method: the channel
    /// stopped) and re-evaluates the INTx line.
    void raiseStall(int channel);
}
