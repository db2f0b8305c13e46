package dev.gpuemu.kernel.bus.pci;

import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.Bound;
import dev.gpuemu.kernel.driver.Device;
import dev.gpuemu.kernel.driver.DeviceContext;
import dev.gpuemu.kernel.driver.Devres;
import dev.gpuemu.kernel.driver.Scope;
import dev.gpuemu.kernel.io.IoMem;
import dev.gpuemu.machine.bus.AccessSize;
import dev.gpuemu.machine.pci.Bdf;
import dev.gpuemu.machine.pci.PciHost;

/// A PCI device as a driver sees it (`pci::Device<Ctx>`).
///
/// Identity accessors work in every context. The operations that need a bound device
/// ([#enableDeviceMem], [#setMaster], [#iomapRegion], config writes) check at run time that this
/// view carries a live Core or Bound proof; with a stale view they count an oops and throw.
///
/// ## Thread safety
/// Thread-safe.
public final class PciDevice<C extends DeviceContext> extends Device<C> {
    private final PciDev dev;
    private final PciHost host;
    private final Scope binding;

    PciDevice(PciDev dev, Scope scope, Scope binding) {
        super(dev, scope);
        this.dev = dev;
        this.host = ((PciBus) dev.bus()).host();
        this.binding = binding;
    }

    public Bdf bdf() {
        return dev.bdf();
    }

    public int vendorId() {
        return dev.vendorId();
    }

    public int deviceId() {
        return dev.deviceId();
    }

    public int revision() {
        return dev.revision();
    }

    public int classCode() {
        return dev.classCode();
    }

    /// The legacy interrupt number.
    public int irq() {
        return dev.irq();
    }

    /// Length of memory BAR `bar`, 0 when it has none.
    public long resourceLen(int bar) {
        return dev.bars().stream().filter(b -> b.index() == bar).mapToLong(PciBar::size).findFirst().orElse(0);
    }

    /// The Bound view of the binding this view belongs to (valid for the whole binding).
    public PciDevice<Bound> bound() {
        requireBound("bound view");
        return new PciDevice<>(dev, binding, binding);
    }

    /// `pcim_enable_device`: turns on memory decoding; devres turns it off at unbind.
    public void enableDeviceMem() {
        requireBound("pci_enable_device_mem");
        setCommandBits(PciBus.COMMAND_MEMORY, true);
        Devres.add(bound(), "pci_disable_device", () -> setCommandBits(PciBus.COMMAND_MEMORY | PciBus.COMMAND_MASTER, false));
    }

    /// `pci_set_master`: lets the device master the bus (DMA).
    public void setMaster() {
        requireBound("pci_set_master");
        setCommandBits(PciBus.COMMAND_MASTER, true);
    }

    /// `pcim_iomap_region`: claims and maps memory BAR `bar` (`Bar<'bound>`). `EINVAL` for a BAR
    /// the device does not have, `EBUSY` when already claimed.
    public IoMem iomapRegion(int bar, String name) throws KernelException {
        requireBound("pcim_iomap_region");
        PciBar b = dev.bars().stream().filter(x -> x.index() == bar).findFirst()
                .orElseThrow(() -> new KernelException(Errno.EINVAL, dev + " has no memory BAR " + bar));
        return IoMem.map(bound(), b.base(), b.size(), name);
    }

    /// `pci_read_config_dword`.
    public int readConfig32(int offset) {
        requireBound("pci_read_config_dword");
        return (int) host.configRead(dev.bdf(), offset, AccessSize.DWORD);
    }

    private void setCommandBits(int bits, boolean on) {
        long cmd = host.configRead(dev.bdf(), PciBus.COMMAND, AccessSize.WORD);
        cmd = on ? cmd | bits : cmd & ~bits;
        host.configWrite(dev.bdf(), PciBus.COMMAND, AccessSize.WORD, cmd);
    }
}
