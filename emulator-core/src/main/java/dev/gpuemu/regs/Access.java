package dev.gpuemu.regs;

/// How software may access a register, as datasheets mark it.
public enum Access {
    /// Read-only: writes are ignored (and counted as guest errors by device models).
    RO,
    /// Read-write.
    RW,
    /// Write-only: reads return a device-defined value (usually 0).
    WO
}
