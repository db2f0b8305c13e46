package dev.gpuemu.machine.bus;

import java.util.Objects;

/// Thrown for bus wiring errors made by emulator code (board, PCI host): never for guest accesses.
public final class BusException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final BusError error;

    /// @param error the closed error kind
    /// @param detail what was being done
    public BusException(BusError error, String detail) {
        super(Objects.requireNonNull(error, "error").description() + ": " + detail);
        this.error = error;
    }

    /// The error kind.
    public BusError error() {
        return error;
    }
}
