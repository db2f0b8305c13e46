package dev.gpuemu.kernel.bus.pci;

/// A memory BAR as enumeration found and assigned it.
///
/// @param index         BAR number (0-5; a 64-bit BAR occupies index and index+1)
/// @param base          assigned bus address
/// @param size          size in bytes (power of two)
/// @param is64          64-bit BAR
/// @param prefetchable  prefetchable memory
public record PciBar(int index, long base, long size, boolean is64, boolean prefetchable) {
    @Override
    public String toString() {
        return String.format("BAR %d [mem 0x%08x-0x%08x%s%s]", index, base, base + size - 1,
                is64 ? " 64bit" : "", prefetchable ? " pref" : "");
    }
}
