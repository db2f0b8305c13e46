package dev.gpuemu.kernel.bus.pci;

import dev.gpuemu.kernel.driver.BusDevice;
import dev.gpuemu.machine.pci.Bdf;
import java.util.List;

/// The kernel's PCI device (`struct pci_dev`), filled from configuration space at enumeration.
///
/// ## Thread safety
/// Identity is immutable; binding state is the driver core's.
public final class PciDev extends BusDevice {
    private final Bdf bdf;
    private final int vendorId;
    private final int deviceId;
    private final int revision;
    private final int classCode;
    private final int irq;
    private final List<PciBar> bars;

    PciDev(PciBus bus, Bdf bdf, int vendorId, int deviceId, int revision, int classCode, int irq, List<PciBar> bars) {
        super(bus, bdf.toString(), null);
        this.bdf = bdf;
        this.vendorId = vendorId;
        this.deviceId = deviceId;
        this.revision = revision;
        this.classCode = classCode;
        this.irq = irq;
        this.bars = List.copyOf(bars);
    }

    public Bdf bdf() {
        return bdf;
    }

    public int vendorId() {
        return vendorId;
    }

    public int deviceId() {
        return deviceId;
    }

    public int revision() {
        return revision;
    }

    /// 24-bit class code: class, subclass, programming interface.
    public int classCode() {
        return classCode;
    }

    /// The legacy interrupt line from configuration space (0xFF when none).
    public int irq() {
        return irq;
    }

    /// The memory BARs found at enumeration, by index.
    public List<PciBar> bars() {
        return bars;
    }

    @Override
    public String describe() {
        return String.format("[%04x:%04x] rev %02x class 0x%06x irq %d", vendorId, deviceId, revision, classCode, irq);
    }
}
