package dev.gpuemu.hw.mali.mmu;

/// How the walker fetches page-table words from system memory: the MMU's DMA port in the model,
/// a recording wrapper in tests.
///
/// ## Thread safety
/// Called under the device lock.
@FunctionalInterface
interface DescriptorReader {
    /// The little-endian 32-bit word at physical `pa`, zero-extended, or `DmaPort.FAILED` (-1)
    /// when the bus refused the read (a guest error already counted).
    long readInt(long pa);
}
