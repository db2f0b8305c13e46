/// **Kernel world: cross-driver synchronisation** (`drivers/dma-buf`): [DmaFence], the completion a
/// GPU job signals and syncobjs and sync_files carry.
package dev.gpuemu.kernel.dmabuf;
