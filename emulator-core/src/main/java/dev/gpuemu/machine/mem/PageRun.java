package dev.gpuemu.machine.mem;

/// A run of physically contiguous pages handed out by [SystemMemory].
///
/// @param physAddr physical address of the first page (page-aligned)
/// @param pages number of pages (at least 1)
public record PageRun(long physAddr, int pages) {

    /// Validates alignment and length.
    public PageRun {
        if ((physAddr & (SystemMemory.PAGE_SIZE - 1)) != 0 || physAddr < 0) {
            throw new IllegalArgumentException("physAddr not page-aligned: 0x" + Long.toHexString(physAddr));
        }
        if (pages < 1) {
            throw new IllegalArgumentException("pages must be positive: " + pages);
        }
    }

    /// Length in bytes.
    public long bytes() {
        return (long) pages * SystemMemory.PAGE_SIZE;
    }

    /// Physical address one past the last byte.
    public long end() {
        return physAddr + bytes();
    }

    @Override
    public String toString() {
        return String.format("PageRun[0x%x, %d pages]", physAddr, pages);
    }
}
