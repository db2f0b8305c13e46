package dev.gpuemu.kernel.drivers.tyr;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.Device;
import dev.gpuemu.kernel.io.IoMem;
import dev.gpuemu.kernel.sync.Delay;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.machine.time.SimClock;
import dev.gpuemu.regs.mali.MaliException;
import dev.gpuemu.regs.mali.MaliReg;
import dev.gpuemu.regs.mali.MaliRegs;
import java.util.concurrent.atomic.AtomicInteger;

/// The GPU control block as the driver drives it: soft reset and L2 power-on at probe (Tyr's
/// order, before interrupts are requested, so both poll), then, once the `gpu` interrupt is
/// live, cache flushes that wait for `CLEAN_CACHES_COMPLETED` through [#handleIrq] (panthor's
/// `pending_reqs` pattern) and fault reporting.
///
/// ## Thread safety
/// [#handleIrq] runs on the `gpu` IRQ thread; waits run on the caller's kernel thread. The
/// pending-request bits are atomic and the waiter re-checks them after a clock kick.
public final class TyrGpu {
    /// Poll step of probe-time waits (panthor polls every 100 µs).
    static final long POLL_NS = 100_000L;
    /// Soft-reset timeout (Tyr sleeps 100 ms; panthor waits at most 100 ms).
    static final long RESET_TIMEOUT_NS = 100_000_000L;
    /// L2 power-on timeout (panthor: 20 ms).
    static final long L2_TIMEOUT_NS = 20_000_000L;
    /// Cache flush timeout (panthor: 100 ms).
    static final long FLUSH_TIMEOUT_NS = 100_000_000L;
    /// The `gpu` IRQ mask panthor uses.
    public static final int IRQ_MASK = MaliRegs.GPU_IRQ_FAULT | MaliRegs.GPU_IRQ_PROTECTED_FAULT
            | MaliRegs.GPU_IRQ_RESET_COMPLETED | MaliRegs.GPU_IRQ_CLEAN_CACHES_COMPLETED;

    private final Device<?> dev;
    private final IoMem io;
    private final SimClock clock;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger faults = new AtomicInteger();

    public TyrGpu(Device<?> dev, IoMem io) {
        this.dev = dev;
        this.io = io;
        this.clock = dev.kernel().clock();
    }

    /// Soft reset: `GPU_CMD = SOFT_RESET`, then `RESET_COMPLETED` must appear in `RAWSTAT`
    /// within 100 ms, else `EIO` with Tyr's two error lines.
    public void softReset() throws KernelException {
        GpuRegs.write32(io, MaliReg.GPU_IRQ_CLEAR, MaliRegs.GPU_IRQ_RESET_COMPLETED);
        GpuRegs.write32(io, MaliReg.GPU_CMD, MaliRegs.GPU_CMD_SOFT_RESET);
        var r = Delay.readPollTimeout(clock, () -> GpuRegs.read32(io, MaliReg.GPU_IRQ_RAWSTAT),
                v -> (v & MaliRegs.GPU_IRQ_RESET_COMPLETED) != 0, POLL_NS, RESET_TIMEOUT_NS);
        if (!r.ok()) {
            dev.err("GPU reset failed with errno");
            dev.err("GPU_INT_RAWSTAT is " + Integer.toUnsignedString(r.value()));
            throw new KernelException(Errno.EIO, "soft reset timed out");
        }
        GpuRegs.write32(io, MaliReg.GPU_IRQ_CLEAR, MaliRegs.GPU_IRQ_RESET_COMPLETED);
    }

    /// L2 power-on: no coherency (the RK3588 has none), `L2_PWRON = 1`, then `L2_READY` must be
    /// exactly 1 within 20 ms, else `EIO` `Failed to power on the GPU`.
    public void l2PowerOn() throws KernelException {
        GpuRegs.write32(io, MaliReg.COHERENCY_PROTOCOL, MaliRegs.COHERENCY_NONE);
        GpuRegs.write64(io, MaliReg.L2_PWRON, 1L);
        var r = Delay.readPollTimeout(clock, () -> GpuRegs.read64(io, MaliReg.L2_READY) == 1L
                && GpuRegs.read64(io, MaliReg.L2_PWRTRANS) == 0, ok -> ok, POLL_NS, L2_TIMEOUT_NS);
        if (!r.ok()) {
            dev.err("Failed to power on the GPU");
            throw new KernelException(Errno.EIO, "L2 did not power on");
        }
    }

    /// Powers the L2 (and with it the cores) off; does not wait (used at unbind).
    public void l2PowerOff() {
        GpuRegs.write64(io, MaliReg.L2_PWROFF, 1L);
    }

    /// Flushes the caches with the given modes (`MaliRegs.CACHE_*`) and waits for
    /// `CLEAN_CACHES_COMPLETED` via the `gpu` interrupt; `ETIMEDOUT` (logged) after 100 ms.
    public void flushCaches(int l2, int lsc, int other) throws KernelException {
        pending.getAndUpdate(p -> p | MaliRegs.GPU_IRQ_CLEAN_CACHES_COMPLETED);
        GpuRegs.write32(io, MaliReg.GPU_CMD, MaliRegs.flushCaches(l2, lsc, other));
        // ORDERING: the handler's getAndUpdate (volatile) publishes the cleared bit; kick re-checks.
        if (!clock.await(() -> (pending.get() & MaliRegs.GPU_IRQ_CLEAN_CACHES_COMPLETED) == 0, FLUSH_TIMEOUT_NS)) {
            pending.getAndUpdate(p -> p & ~MaliRegs.GPU_IRQ_CLEAN_CACHES_COMPLETED);
            dev.err("Flush caches timeout");
            throw new KernelException(Errno.ETIMEDOUT, "cache flush timed out");
        }
    }

    /// GPU faults seen by the interrupt handler.
    public int faults() {
        return faults.get();
    }

    /// The `gpu` interrupt's bits (threaded context).
    public void handleIrq(int status) {
        if ((status & (MaliRegs.GPU_IRQ_FAULT | MaliRegs.GPU_IRQ_PROTECTED_FAULT)) != 0) {
            int fs = GpuRegs.read32(io, MaliReg.GPU_FAULT_STATUS);
            long addr = GpuRegs.read64(io, MaliReg.GPU_FAULT_ADDR);
            faults.incrementAndGet();
            dev.warn(String.format("GPU Fault 0x%08x (%s) at 0x%016x", fs,
                    MaliException.name(fs & 0xFF), addr));
        }
        int done = status & (MaliRegs.GPU_IRQ_CLEAN_CACHES_COMPLETED | MaliRegs.GPU_IRQ_RESET_COMPLETED);
        if (done != 0) {
            pending.getAndUpdate(p -> p & ~done);
            clock.kick();
        }
    }
}
