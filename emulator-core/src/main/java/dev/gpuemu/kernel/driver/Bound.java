package dev.gpuemu.kernel.driver;

/// The device is bound to a driver for the whole validity of a `Device<Bound>` view. APIs that
/// allocate binding-scoped resources (MMIO mappings, IRQ handlers, DMA, devres) require one.
public sealed interface Bound extends DeviceContext permits Core {
}
