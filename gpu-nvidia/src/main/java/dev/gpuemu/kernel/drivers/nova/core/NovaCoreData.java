package dev.gpuemu.kernel.drivers.nova.core;

import dev.gpuemu.kernel.bus.auxiliary.AuxiliaryRegistration;
import dev.gpuemu.kernel.bus.pci.PciDevice;
import dev.gpuemu.kernel.driver.Bound;
import dev.gpuemu.kernel.io.IoMem;
import dev.gpuemu.kernel.io.IrqRegistration;

/// nova-core's driver data: the auxiliary registration (holding [NovaAuxData]), the sysmem flush
/// page and the bound resources.
///
/// Dropped by the driver core after the unbind callback and before devres: closing the
/// registration unbinds and deletes `NovaCore.nova-drm.<id>` first, then revokes the
/// registration data (channels stopped), then the sysmem flush page is unregistered while BAR0 is
/// still mapped.
///
/// ## Lifecycle
/// created by probe → closed once by the driver core at unbind (second close throws).
public final class NovaCoreData implements AutoCloseable {
    private final PciDevice<Bound> pdev;
    private final IoMem bar0;
    private final IrqRegistration irq;
    private final SysmemFlush flush;
    private final NovaDevice device;
    private final AuxiliaryRegistration<NovaAuxData> aux;
    private boolean closed;

    NovaCoreData(PciDevice<Bound> pdev, IoMem bar0, IrqRegistration irq, SysmemFlush flush, NovaDevice device,
                 AuxiliaryRegistration<NovaAuxData> aux) {
        this.pdev = pdev;
        this.bar0 = bar0;
        this.irq = irq;
        this.flush = flush;
        this.device = device;
        this.aux = aux;
    }

    public IoMem bar0() {
        return bar0;
    }

    public IrqRegistration irq() {
        return irq;
    }

    /// The registration data handed to the auxiliary child.
    public NovaAuxData auxData() {
        return device;
    }

    /// The auxiliary registration (its device is `NovaCore.nova-drm.<id>`).
    public AuxiliaryRegistration<NovaAuxData> auxiliary() {
        return aux;
    }

    /// Bus address of the registered sysmem flush page.
    public long sysmemFlushAddress() {
        return flush.address();
    }

    @Override
    public void close() {
        if (closed) {
            throw new IllegalStateException("nova-core driver data already dropped");
        }
        closed = true;
        aux.close();
        device.revoke();
        pdev.dbg("auxiliary device removed, registration data revoked");
        flush.unregister(pdev);
        pdev.dbg("sysmem flush page unregistered");
    }
}
