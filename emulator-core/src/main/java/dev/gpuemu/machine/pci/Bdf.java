package dev.gpuemu.machine.pci;

/// A PCI function address: bus, device (slot) and function, in PCI domain 0.
///
/// @param bus 0..255
/// @param device 0..31
/// @param function 0..7
public record Bdf(int bus, int device, int function) {

    /// Validates the ranges.
    public Bdf {
        if (bus < 0 || bus > 255) {
            throw new IllegalArgumentException("bus must be 0..255: " + bus);
        }
        if (device < 0 || device > 31) {
            throw new IllegalArgumentException("device must be 0..31: " + device);
        }
        if (function < 0 || function > 7) {
            throw new IllegalArgumentException("function must be 0..7: " + function);
        }
    }

    /// Parses `DDDD:BB:DD.F` (domain must be 0) or `BB:DD.F`, hexadecimal as `lspci` prints.
    ///
    /// @throws IllegalArgumentException on malformed text or a non-zero domain
    public static Bdf parse(String text) {
        String s = text.strip();
        String[] parts = s.split(":", -1);
        if (parts.length == 3) {
            if (hex(parts[0], text, 4) != 0) {
                throw new IllegalArgumentException("only PCI domain 0 exists: " + text);
            }
            parts = new String[] {parts[1], parts[2]};
        }
        if (parts.length != 2) {
            throw new IllegalArgumentException("not a BDF: " + text);
        }
        int dot = parts[1].indexOf('.');
        if (dot < 0) {
            throw new IllegalArgumentException("not a BDF (no function): " + text);
        }
        return new Bdf(hex(parts[0], text, 2), hex(parts[1].substring(0, dot), text, 2),
                hex(parts[1].substring(dot + 1), text, 1));
    }

    private static int hex(String digits, String text, int maxLen) {
        if (digits.isEmpty() || digits.length() > maxLen) {
            throw new IllegalArgumentException("not a BDF: " + text);
        }
        try {
            return Integer.parseInt(digits, 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a BDF: " + text, e);
        }
    }

    /// `0000:BB:DD.F`, as `lspci -D` and sysfs print it.
    @Override
    public String toString() {
        return String.format("0000:%02x:%02x.%x", bus, device, function);
    }
}
