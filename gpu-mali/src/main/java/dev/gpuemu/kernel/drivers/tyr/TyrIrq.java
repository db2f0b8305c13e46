package dev.gpuemu.kernel.drivers.tyr;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.Bound;
import dev.gpuemu.kernel.driver.Device;
import dev.gpuemu.kernel.io.IoMem;
import dev.gpuemu.kernel.io.IrqRegistration;
import dev.gpuemu.kernel.io.IrqReturn;
import java.util.function.IntConsumer;

/// One of the G610's three interrupt blocks (`gpu`, `job`, `mmu`) with panthor's handler pattern
/// (`PANTHOR_IRQ_HANDLER`): the hard part reads `STATUS` (0 is not ours), masks the block and
/// wakes the thread; the threaded part loops while `RAWSTAT & mask` is non-zero, writes `CLEAR`,
/// hands the bits to the block's handler, and finally restores `MASK`.
///
/// A block's registers are `RAWSTAT` at `base`, `CLEAR` +4, `MASK` +8, `STATUS` +0xC.
///
/// ## Invariants
/// While [#suspend]ed, the hard handler answers `NONE` and `MASK` is 0.
///
/// ## Thread safety
/// The hard part runs on the clock thread, the threaded part on the registration's thread;
/// `mask` and `suspended` are volatile.
///
/// ## Lifecycle
/// requested at probe → freed by devres at unbind (the [IrqRegistration]); [#suspend] before
/// the device stops answering.
public final class TyrIrq {
    private static final int RAWSTAT = 0x0;
    private static final int CLEAR = 0x4;
    private static final int MASK = 0x8;
    private static final int STATUS = 0xC;

    private final IoMem io;
    private final long base;
    private final IntConsumer handler;
    private volatile int mask;
    private volatile boolean suspended;
    private IrqRegistration registration;

    private TyrIrq(IoMem io, long base, int mask, IntConsumer handler) {
        this.io = io;
        this.base = base;
        this.mask = mask;
        this.handler = handler;
    }

    /// Requests interrupt `irq` (`name` as in the device tree) for the block at `base`, clears
    /// stale events and unmasks `mask`.
    public static TyrIrq request(Device<? extends Bound> dev, int irq, String name, IoMem io, long base, int mask,
                                 IntConsumer handler) throws KernelException {
        TyrIrq t = new TyrIrq(io, base, mask, handler);
        t.registration = IrqRegistration.requestThreaded(dev, irq, name, t::hard, t::thread);
        io.write32(base + CLEAR, mask);
        io.write32(base + MASK, mask);
        return t;
    }

    public IrqRegistration registration() {
        return registration;
    }

    /// The bits currently unmasked when the block is active.
    public int mask() {
        return mask;
    }

    /// Changes the enabled bits (panthor's `*_irq_enable_events`), clearing their stale events.
    public void setMask(int newMask) {
        mask = newMask;
        if (!suspended) {
            io.write32(base + CLEAR, newMask);
            io.write32(base + MASK, newMask);
        }
    }

    /// Masks the block and ignores further interrupts (`panthor_*_irq_suspend`).
    public void suspend() {
        suspended = true;
        if (io.isMapped()) {
            io.write32(base + MASK, 0);
        }
    }

    public boolean isSuspended() {
        return suspended;
    }

    private IrqReturn hard(int line) {
        if (suspended) {
            return IrqReturn.NONE;
        }
        if (io.read32(base + STATUS) == 0) {
            return IrqReturn.NONE;
        }
        io.write32(base + MASK, 0);
        return IrqReturn.WAKE_THREAD;
    }

    private void thread(int line) {
        while (!suspended) {
            int status = io.read32(base + RAWSTAT) & mask;
            if (status == 0) {
                break;
            }
            io.write32(base + CLEAR, status);
            handler.accept(status);
        }
        if (!suspended) {
            io.write32(base + MASK, mask);
        }
    }
}
