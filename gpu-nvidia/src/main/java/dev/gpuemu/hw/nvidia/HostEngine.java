package dev.gpuemu.hw.nvidia;

/// What the GA102 top forwards to the host block (channels, GPFIFO, the copy engine, the GMMU):
/// its register window, the usermode doorbell and resets. Built by the host package through the
/// top's `Function<NvHwPorts, HostEngine>` plug-in.
///
/// ## Thread safety
/// Every method is called with the device lock (`NvHwPorts.deviceLock`) held: by BAR0 MMIO
/// handlers, or by clock-thread events that take the lock.
public interface HostEngine {
    /// A 32-bit read at `offset` inside the channel-control window
    /// (`NvBar0Map.HOST_WINDOW_BASE`, length `HOST_WINDOW_SIZE`); unknown offsets are the
    /// engine's guest errors and read 0.
    int readRegister(int offset);

    /// A 32-bit write at `offset` inside the channel-control window.
    void writeRegister(int offset, int value);

    /// A write of `token` to `NV_USERMODE_NOTIFY_CHANNEL_PENDING`: the channel whose work-submit
    /// token it is fetches its GPFIFO up to `GP_PUT`. Unknown tokens are guest errors.
    void notifyChannelPending(int token);

    /// An engine reset (PMC enable toggled off) or a PCI function-level reset: every channel
    /// stops, queued work is dropped, and nothing is written to memory afterwards.
    void reset();
}
