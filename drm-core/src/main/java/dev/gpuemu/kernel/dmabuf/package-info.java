/// **Kernel world: cross-driver buffer and fence sharing** (`drivers/dma-buf`): [DmaFence], the
/// completion a GPU job signals, and dma-buf exports of GEM objects (PRIME).
package dev.gpuemu.kernel.dmabuf;
