package dev.gpuemu.machine.pci;

/// A PCI Express root port: a PCI-to-PCI bridge function on bus 0 with one bus behind it, so a
/// device can sit at `0000:01:00.0` as a discrete GPU does on a PC. Modelled on QEMU's generic
/// `pcie-root-port` (vendor 0x1B36, device 0x000C, class 0x060400).
///
/// Only what enumeration needs is modelled: the type 1 header with primary, secondary and
/// subordinate bus numbers (set by the board, as firmware would). No BARs, no interrupt pin, no
/// bridge windows, no hot-plug or AER capabilities; the host routes configuration cycles to the
/// secondary bus by bus number and decodes the devices' BARs directly.
///
/// ## Thread safety
/// Configuration accesses synchronise on the [PciConfigSpace].
///
/// ## Lifecycle
/// Built by the board for each populated bus other than 0, attached before the devices behind it.
public final class PciRootPort implements PciFunction {
    /// Red Hat / QEMU vendor ID.
    public static final int VENDOR_ID = 0x1B36;
    /// QEMU's `pcie-root-port` device ID.
    public static final int DEVICE_ID = 0x000C;
    /// Bridge, PCI-to-PCI, normal decode.
    public static final int CLASS_CODE = 0x060400;

    private final PciConfigSpace config;

    /// A root port on bus 0 whose secondary (and subordinate) bus is `secondaryBus`.
    public PciRootPort(int secondaryBus) {
        this.config = new PciConfigSpace(VENDOR_ID, DEVICE_ID, 0, CLASS_CODE)
                .setInterruptPin(0)
                .bridgeHeader(0, secondaryBus, secondaryBus);
    }

    @Override
    public PciConfigSpace config() {
        return config;
    }
}
