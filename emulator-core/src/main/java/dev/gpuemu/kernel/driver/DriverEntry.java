package dev.gpuemu.kernel.driver;

import dev.gpuemu.kernel.KernelException;
import java.util.Objects;
import java.util.function.Predicate;

/// A driver as the driver core sees it: a name, an ID match built from the driver's ID table,
/// and the two bus callbacks adapted to the bus's typed views.
///
/// Bus implementations build entries from their typed driver interfaces (`PciDriver`,
/// `PlatformDriver`, ...).
///
/// ## Thread safety
/// Immutable.
public record DriverEntry<D extends BusDevice>(String name, Predicate<D> idMatch, Prober<D> prober,
                                               Remover<D> remover) {

    public DriverEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(idMatch, "idMatch");
        Objects.requireNonNull(prober, "prober");
        Objects.requireNonNull(remover, "remover");
        if (name.isBlank()) {
            throw new IllegalArgumentException("driver name must not be blank");
        }
    }

    /// Calls the driver's probe with a Core view limited by `core`, and a binding scope
    /// `binding` for the Bound view; returns the driver data (non-null).
    @FunctionalInterface
    public interface Prober<D extends BusDevice> {
        Object probe(D device, Scope core, Scope binding) throws KernelException;
    }

    /// Calls the driver's unbind (remove) callback with a Core view limited by `core`.
    @FunctionalInterface
    public interface Remover<D extends BusDevice> {
        void remove(D device, Scope core, Scope binding, Object data);
    }
}
