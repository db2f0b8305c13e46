package dev.gpuemu.kernel.bus.pci;

/// One entry of a PCI driver's ID table (`struct pci_device_id`): vendor and device, or a class
/// with a mask. [#ANY] matches any vendor or device.
///
/// @param vendor     vendor ID or [#ANY]
/// @param device     device ID or [#ANY]
/// @param classCode  24-bit class code (class, subclass, prog-if), compared under `classMask`
/// @param classMask  which class bits must match (0 = any class)
public record PciDeviceId(int vendor, int device, int classCode, int classMask) {
    /// `PCI_ANY_ID`.
    public static final int ANY = 0xFFFF_FFFF;

    /// Matches exactly this vendor and device.
    public static PciDeviceId of(int vendor, int device) {
        return new PciDeviceId(vendor, device, 0, 0);
    }

    /// Matches a vendor (or [#ANY]) and the class bits selected by `mask`.
    public static PciDeviceId ofClass(int vendor, int classCode, int mask) {
        return new PciDeviceId(vendor, ANY, classCode, mask);
    }

    boolean matches(PciDev dev) {
        return (vendor == ANY || vendor == dev.vendorId())
                && (device == ANY || device == dev.deviceId())
                && ((dev.classCode() ^ classCode) & classMask) == 0;
    }
}
