package dev.gpuemu.machine.bus;

/// The closed set of bus wiring errors (rust-vmm vm-device `bus::Error`). These are *emulator*
/// errors, thrown as [BusException]; guest mistakes are counted in `GuestErrors` instead.
public enum BusError {
    /// The new mapping overlaps an existing one.
    DEVICE_OVERLAP("new mapping overlaps an existing one"),
    /// No mapping decodes the address.
    DEVICE_NOT_FOUND("no mapping at address"),
    /// An access length that is not 1, 2, 4 or 8 bytes.
    INVALID_ACCESS_LENGTH("invalid access length"),
    /// A mapping range that is negative or wraps around the address space.
    INVALID_RANGE("invalid address range");

    private final String description;

    BusError(String description) {
        this.description = description;
    }

    /// Short human-readable description.
    public String description() {
        return description;
    }
}
