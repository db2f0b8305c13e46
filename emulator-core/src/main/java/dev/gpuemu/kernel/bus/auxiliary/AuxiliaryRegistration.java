package dev.gpuemu.kernel.bus.auxiliary;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.Bound;
import dev.gpuemu.kernel.driver.Device;
import dev.gpuemu.kernel.driver.Devres;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/// An auxiliary device owned by a parent's binding (`auxiliary::Registration`), with optional
/// registration data the child reads.
///
/// Closing it first deletes the child device (unbinding its driver), then drops the data
/// (closing it when [AutoCloseable]). The parent normally keeps the registration in its driver
/// data, so it closes before the parent's devres; as a safety net it is also a devres action of
/// the parent's binding.
///
/// ## Invariants
/// The child is unbound before the data is dropped; both happen exactly once.
///
/// ## Thread safety
/// Thread-safe.
///
/// ## Lifecycle
/// created while the parent is bound → closed once (explicitly or by the parent's devres); a
/// second explicit close throws.
public final class AuxiliaryRegistration<D> implements AutoCloseable {
    private final AuxiliaryBus bus;
    private final AuxDev child;
    private final D data;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Devres.Action devres;

    private AuxiliaryRegistration(AuxiliaryBus bus, AuxDev child, D data, Devres.Action devres) {
        this.bus = bus;
        this.child = child;
        this.data = data;
        this.devres = devres;
    }

    /// Creates and adds the device `modname.name.id` under the bound `parent`; it may bind
    /// (and its driver probe) before this returns.
    public static <D> AuxiliaryRegistration<D> create(Device<? extends Bound> parent, String modname, String name,
                                                      int id, D data) throws KernelException {
        parent.checkProof("auxiliary device create");
        Objects.requireNonNull(modname, "modname");
        Objects.requireNonNull(name, "name");
        AuxiliaryBus bus = parent.kernel().auxiliaryBus();
        AuxDev child = new AuxDev(bus, parent.node(), modname, name, id, data);
        AuxiliaryRegistration<D>[] self = newArray();
        Devres.Action action = Devres.add(parent, "auxiliary registration " + child.name(), () -> {
            if (self[0] != null) {
                self[0].teardown();
            }
        });
        try {
            bus.add(child);
        } catch (KernelException e) {
            action.remove();
            throw e;
        }
        self[0] = new AuxiliaryRegistration<>(bus, child, data, action);
        return self[0];
    }

    @SuppressWarnings("unchecked")
    private static <D> AuxiliaryRegistration<D>[] newArray() {
        return (AuxiliaryRegistration<D>[]) new AuxiliaryRegistration<?>[1];
    }

    /// The child device (a storable Normal reference).
    public Device<dev.gpuemu.kernel.driver.Normal> device() {
        return child.normal();
    }

    /// Deletes the child, then drops the data. A second call throws.
    @Override
    public void close() {
        if (closed.get()) {
            throw new IllegalStateException("auxiliary registration " + child.name() + " already closed");
        }
        devres.remove();
        teardown();
    }

    private void teardown() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        bus.delete(child);
        if (data instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw child.kernel().oopses().bug("dropping registration data of " + child.name() + " threw " + e);
            }
        }
    }
}
