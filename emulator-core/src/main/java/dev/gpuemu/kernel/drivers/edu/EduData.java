package dev.gpuemu.kernel.drivers.edu;

import dev.gpuemu.kernel.io.IoMem;
import dev.gpuemu.kernel.io.IrqRegistration;
import dev.gpuemu.regs.edu.EduReg;

/// The edu driver's per-binding data.
///
/// Dropped (closed) after the unbind callback and before devres is released, so [#close] may
/// still touch the BAR: it turns the factorial interrupt off, which is the HRT ordering at work.
///
/// ## Lifecycle
/// created by probe → closed once by the driver core at unbind.
public final class EduData implements AutoCloseable {
    private final IoMem bar;
    private final IrqRegistration irq;
    private boolean closed;

    EduData(IoMem bar, IrqRegistration irq) {
        this.bar = bar;
        this.irq = irq;
    }

    public IoMem bar() {
        return bar;
    }

    public IrqRegistration irq() {
        return irq;
    }

    @Override
    public void close() {
        if (closed) {
            throw new IllegalStateException("edu driver data already dropped");
        }
        closed = true;
        bar.write32(EduReg.STATUS.offset(), 0);
    }
}
