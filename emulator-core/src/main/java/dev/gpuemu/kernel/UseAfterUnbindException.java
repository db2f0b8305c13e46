package dev.gpuemu.kernel;

/// A handle scoped to a driver binding (an MMIO mapping, an IRQ registration, a DMA allocation,
/// a `Device<Bound>` or `Device<Core>` view) was used after its scope ended.
///
/// Thrown only through [Oopses#useAfterUnbind], which counts it first.
public final class UseAfterUnbindException extends KernelOops {
    private static final long serialVersionUID = 1L;

    UseAfterUnbindException(String message) {
        super(message);
    }
}
