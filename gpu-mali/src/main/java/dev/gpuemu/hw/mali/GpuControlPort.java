package dev.gpuemu.hw.mali;

/// What the command stream frontend may ask of the GPU control block: power state (work needs
/// the L2 and shader cores up), cache flushes issued by command streams, and the `ACTIVE` bit of
/// `GPU_STATUS`.
///
/// Implemented by the GPU control block of [MaliG610]; handed to the CSF in [MaliHwPorts].
///
/// ## Thread safety
/// Call with [MaliHwPorts#deviceLock()] held (MMIO handlers, or clock-thread events that take it).
public interface GpuControlPort {
    /// Whether the L2 cache is powered (`L2_READY` != 0, no transition in progress).
    boolean l2Ready();

    /// `SHADER_READY`: the shader cores that are powered.
    long shaderReady();

    /// `TILER_READY`: the tilers that are powered.
    long tilerReady();

    /// The current `CSF_LATEST_FLUSH_ID`.
    int latestFlushId();

    /// A cache flush issued by a command stream (`FLUSH_CACHE2`): the caches of this model hold
    /// no data (every access goes straight to system memory), so the flush completes at once; it
    /// bumps `LATEST_FLUSH_ID` and returns the new value. The caller charges its own time for it.
    int flushCachesFromCsf();

    /// Sets or clears `GPU_STATUS.ACTIVE` (the CSF sets it while any stream has work).
    void setCsfActive(boolean active);

    /// Records a GPU fault (e.g. a bus fault of the MCU): `GPU_FAULT_STATUS` = `status`,
    /// `GPU_FAULT_ADDR` = `address` (the first fault is kept until the driver clears
    /// `GPU_IRQ_FAULT`), and raises `GPU_IRQ_FAULT`.
    void reportGpuFault(int status, long address);
}
