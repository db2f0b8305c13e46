package dev.gpuemu.kernel.bus.pci;

import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.BusType;
import dev.gpuemu.kernel.driver.Core;
import dev.gpuemu.kernel.driver.DriverCore;
import dev.gpuemu.kernel.driver.DriverEntry;
import dev.gpuemu.kernel.driver.Scope;
import dev.gpuemu.machine.bus.AccessSize;
import dev.gpuemu.machine.pci.Bdf;
import dev.gpuemu.machine.pci.PciConfigSpace;
import dev.gpuemu.machine.pci.PciHost;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/// The PCI bus: enumeration through configuration space (vendor ID probing, header decode, BAR
/// sizing and assignment), matching by ID table, and the sysfs `remove` / bus `rescan`.
///
/// BARs are assigned from two host-bridge windows: 32-bit BARs from [#MEM32_BASE], 64-bit BARs
/// from [#MEM64_BASE]. A BAR that already holds an address (a device seen before a remove) keeps
/// it, as Linux keeps firmware assignments.
///
/// ## Thread safety
/// Thread-safe; enumeration is serialised.
public final class PciBus extends BusType<PciDev> {
    /// Start and size of the 32-bit memory window.
    public static final long MEM32_BASE = 0xC000_0000L;
    public static final long MEM32_SIZE = 0x3000_0000L;
    /// Start and size of the 64-bit memory window.
    public static final long MEM64_BASE = 0x80_0000_0000L;
    public static final long MEM64_SIZE = 0x10_0000_0000L;

    static final int VENDOR_ID = 0x00;
    static final int COMMAND = 0x04;
    static final int REVISION = 0x08;
    static final int HEADER_TYPE = 0x0E;
    static final int BAR0 = 0x10;
    static final int INTERRUPT_LINE = 0x3C;
    static final int COMMAND_MEMORY = 0x2;
    static final int COMMAND_MASTER = 0x4;

    private final PciHost host;
    private long next32 = MEM32_BASE;
    private long next64 = MEM64_BASE;

    public PciBus(DriverCore core, PciHost host) {
        super(core, "pci");
        this.host = Objects.requireNonNull(host, "host");
    }

    @Override
    protected boolean idMatch(PciDev device, DriverEntry<PciDev> driver) {
        return driver.idMatch().test(device);
    }

    /// Registers a PCI driver (`pci_register_driver`); binds it to matching devices.
    public <T> void register(PciDriver<T> driver) throws KernelException {
        List<PciDeviceId> ids = List.copyOf(driver.idTable());
        registerDriver(new DriverEntry<PciDev>(driver.name(),
                dev -> ids.stream().anyMatch(id -> id.matches(dev)),
                (dev, core, binding) -> driver.probe(new PciDevice<Core>(dev, core, binding)),
                (dev, core, binding, data) -> unbind(driver, dev, core, binding, data)));
    }

    @SuppressWarnings("unchecked")
    private static <T> void unbind(PciDriver<T> driver, PciDev dev, Scope core, Scope binding, Object data) {
        driver.unbind(new PciDevice<Core>(dev, core, binding), (T) data);
    }

    /// Enumerates bus 0 and, through every PCI-to-PCI bridge found, the bus behind it
    /// (`pci_scan_child_bus` and `pci_scan_bridge`, with the bus numbers firmware assigned), and
    /// adds every function not yet known (used at boot and by `/sys/bus/pci/rescan`). Returns the
    /// devices added, bridges before the devices behind them.
    public synchronized List<PciDev> scan() throws KernelException {
        List<PciDev> added = new ArrayList<>();
        scanBus(0, added, new boolean[256]);
        for (PciDev dev : added) {
            addDevice(dev);
        }
        return added;
    }

    private void scanBus(int bus, List<PciDev> added, boolean[] seen) throws KernelException {
        seen[bus] = true;
        List<Integer> behind = new ArrayList<>();
        for (int slot = 0; slot < 32; slot++) {
            int functions = 1;
            for (int fn = 0; fn < functions; fn++) {
                Bdf bdf = new Bdf(bus, slot, fn);
                int vendor = (int) host.configRead(bdf, VENDOR_ID, AccessSize.WORD);
                if (vendor == 0xFFFF || vendor == 0) {
                    continue;
                }
                int header = (int) host.configRead(bdf, HEADER_TYPE, AccessSize.BYTE);
                if (fn == 0 && (header & 0x80) != 0) {
                    functions = 8;
                }
                if ((header & 0x7f) == PciConfigSpace.HEADER_TYPE_BRIDGE) {
                    int secondary = (int) host.configRead(bdf, PciConfigSpace.SECONDARY_BUS, AccessSize.BYTE);
                    if (secondary > bus && !seen[secondary]) {
                        behind.add(secondary);
                    }
                }
                if (device(bdf.toString()).isPresent()) {
                    continue;
                }
                added.add(probeFunction(bdf, vendor));
            }
        }
        for (int secondary : behind) {
            scanBus(secondary, added, seen);
        }
    }

    /// `/sys/bus/pci/rescan`.
    public List<PciDev> rescan() throws KernelException {
        return scan();
    }

    /// `/sys/bus/pci/devices/BDF/remove`: unbinds and deletes the device and disables its
    /// decoding. The function stays in the slot; a rescan finds it again. `ENODEV` when absent.
    public void remove(String bdf) throws KernelException {
        PciDev dev = device(bdf).orElseThrow(() -> new KernelException(Errno.ENODEV, "no PCI device " + bdf));
        deleteDevice(dev);
        host.configWrite(dev.bdf(), COMMAND, AccessSize.WORD, 0);
        dev.normal().dbg("removed");
    }

    private PciDev probeFunction(Bdf bdf, int vendor) {
        int device = (int) host.configRead(bdf, 0x02, AccessSize.WORD);
        int revClass = (int) host.configRead(bdf, REVISION, AccessSize.DWORD);
        int classCode = revClass >>> 8;
        int irq = (int) host.configRead(bdf, INTERRUPT_LINE, AccessSize.BYTE);
        boolean bridge = (host.configRead(bdf, HEADER_TYPE, AccessSize.BYTE) & 0x7f) == PciConfigSpace.HEADER_TYPE_BRIDGE;
        kernelLog(bdf, String.format("[%04x:%04x] type %s class 0x%06x %s", vendor, device, bridge ? "01" : "00",
                classCode, bridge ? "PCI bridge to [bus " + String.format("%02x", host.configRead(bdf,
                        PciConfigSpace.SECONDARY_BUS, AccessSize.BYTE)) + "]" : "conventional PCI endpoint"));
        List<PciBar> bars = sizeBars(bdf, bridge ? 2 : 6);
        for (PciBar bar : bars) {
            kernelLog(bdf, bar.toString());
        }
        return new PciDev(this, bdf, vendor, device, revClass & 0xFF, classCode, irq, bars);
    }

    /// BAR sizing: with decoding off, write all ones, read back the size mask, restore; assign an
    /// address to BARs that have none.
    private List<PciBar> sizeBars(Bdf bdf, int barCount) {
        long command = host.configRead(bdf, COMMAND, AccessSize.WORD);
        host.configWrite(bdf, COMMAND, AccessSize.WORD, command & ~(COMMAND_MEMORY | 1));
        List<PciBar> bars = new ArrayList<>();
        for (int i = 0; i < barCount; i++) {
            int off = BAR0 + 4 * i;
            long orig = host.configRead(bdf, off, AccessSize.DWORD);
            host.configWrite(bdf, off, AccessSize.DWORD, 0xFFFF_FFFFL);
            long mask = host.configRead(bdf, off, AccessSize.DWORD);
            host.configWrite(bdf, off, AccessSize.DWORD, orig);
            if (mask == 0 || (mask & 1) != 0) {
                continue; // unimplemented, or an I/O BAR (not modelled)
            }
            boolean is64 = ((mask >>> 1) & 3) == 2;
            boolean pref = (mask & 8) != 0;
            long sizeMask = mask & ~0xFL;
            long base = orig & ~0xFL;
            if (is64 && i < barCount - 1) {
                int hiOff = off + 4;
                long origHi = host.configRead(bdf, hiOff, AccessSize.DWORD);
                host.configWrite(bdf, hiOff, AccessSize.DWORD, 0xFFFF_FFFFL);
                long maskHi = host.configRead(bdf, hiOff, AccessSize.DWORD);
                host.configWrite(bdf, hiOff, AccessSize.DWORD, origHi);
                sizeMask |= maskHi << 32;
                base |= origHi << 32;
            } else {
                sizeMask |= 0xFFFF_FFFF_0000_0000L;
            }
            long size = ~sizeMask + 1;
            if (base == 0) {
                base = assign(size, is64);
                host.configWrite(bdf, off, AccessSize.DWORD, base & 0xFFFF_FFFFL);
                if (is64) {
                    host.configWrite(bdf, off + 4, AccessSize.DWORD, base >>> 32);
                }
            }
            bars.add(new PciBar(i, base, size, is64, pref));
            if (is64) {
                i++;
            }
        }
        host.configWrite(bdf, COMMAND, AccessSize.WORD, command);
        return bars;
    }

    private long assign(long size, boolean is64) {
        if (is64) {
            long base = align(next64, size);
            next64 = base + size;
            if (next64 > MEM64_BASE + MEM64_SIZE) {
                throw new IllegalStateException("64-bit PCI window exhausted");
            }
            return base;
        }
        long base = align(next32, size);
        next32 = base + size;
        if (next32 > MEM32_BASE + MEM32_SIZE) {
            throw new IllegalStateException("32-bit PCI window exhausted");
        }
        return base;
    }

    private static long align(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }

    private void kernelLog(Bdf bdf, String message) {
        kernel().log().info("pci " + bdf + ": " + message);
    }

    PciHost host() {
        return host;
    }
}
