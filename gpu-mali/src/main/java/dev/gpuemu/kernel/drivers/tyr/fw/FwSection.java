package dev.gpuemu.kernel.drivers.tyr.fw;

import dev.gpuemu.kernel.io.DmaCoherent;

/// One loaded firmware section: its MCU VA range, interface flags, name and backing DMA memory.
///
/// @param vaStart MCU VA of the first byte
/// @param vaEnd   MCU VA past the last byte
/// @param flags   `MaliFwFormat.IFACE_*`
/// @param name    the section name from the image
/// @param mem     the backing memory (contiguous, `vaEnd - vaStart` bytes)
public record FwSection(long vaStart, long vaEnd, int flags, String name, DmaCoherent mem) {
    /// Whether `va` (and `len` bytes from it) lies in this section.
    public boolean contains(long va, long len) {
        return va >= vaStart && va <= vaEnd - len;
    }
}
