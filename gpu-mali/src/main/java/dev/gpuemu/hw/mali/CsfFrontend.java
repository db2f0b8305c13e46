package dev.gpuemu.hw.mali;

/// What the GPU control block forwards to the command stream frontend (MCU and firmware
/// interfaces): the MCU registers, the doorbell pages and resets.
///
/// Implemented by the CSF; called by the GPU's register handlers under the device lock.
///
/// ## Thread safety
/// Called with the device lock held (MMIO handlers, clock-thread events that take the lock).
public interface CsfFrontend {
    /// A write of `MCU_CONTROL` (`MaliRegs.MCU_CONTROL_*`).
    void writeMcuControl(int value);

    /// The value `MCU_CONTROL` reads back.
    int mcuControl();

    /// The value `MCU_STATUS` reads (`MaliRegs.MCU_STATUS_*`).
    int mcuStatus();

    /// A write to doorbell page `index` (0 = the global interface).
    void ringDoorbell(int index);

    /// A soft or hard reset of the GPU: the MCU stops (`MCU_STATUS_DISABLED`), every stream is
    /// dropped, nothing is written to memory afterwards.
    void reset();
}
