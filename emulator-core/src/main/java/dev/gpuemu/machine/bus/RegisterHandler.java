package dev.gpuemu.machine.bus;

/// A device model's register callbacks for one register block of an [MmioRegion] (QEMU's
/// `MemoryRegionOps.read/write`, vm-device's `DeviceMmio`).
///
/// The bus has already validated the guest access and adapted it to the block's `impl` sizes, so a
/// handler only ever sees an aligned access of a size within `impl` and never re-checks sizes.
/// Unknown offsets inside the block are the handler's business (hardware usually reads 0 and drops
/// writes; a handler may report `GuestErrors.Kind.DEVICE`).
///
/// ## Thread safety
/// Called while the region's [MmioRegion#deviceLock()] is held, from whichever thread does the bus
/// access (kernel threads). The device model takes the same lock in its clock-thread callbacks.
public interface RegisterHandler {
    /// Reads the register at `offset` (relative to the region start), value in the low bits.
    long read(long offset, AccessSize size);

    /// Writes the register at `offset` (relative to the region start); only the low
    /// `size.bytes()` bytes of `value` are meaningful (the rest are zero).
    void write(long offset, AccessSize size, long value);
}
