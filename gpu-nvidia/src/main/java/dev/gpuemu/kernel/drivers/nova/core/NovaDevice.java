package dev.gpuemu.kernel.drivers.nova.core;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.bus.pci.PciDevice;
import dev.gpuemu.kernel.driver.Bound;
import dev.gpuemu.kernel.driver.Scope;
import dev.gpuemu.kernel.io.IoMem;
import dev.gpuemu.kernel.io.IrqReturn;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.machine.time.SimClock;
import dev.gpuemu.regs.nvidia.Boot0;
import dev.gpuemu.regs.nvidia.Chipset;
import dev.gpuemu.regs.nvidia.NvReg;
import dev.gpuemu.regs.nvidia.NvRegs;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReferenceArray;

/// nova-core's [NovaAuxData]: the GPU as nova-drm sees it, plus the interrupt dispatch to
/// channels.
///
/// ## Thread safety
/// Thread-safe: channel slots are an atomic array, VMs a copy-on-write list.
///
/// ## Lifecycle
/// created in probe → [#revoke]d once by nova-core's driver-data drop right after the auxiliary
/// registration closed (the child is unbound by then): stops every channel, then ends the scope
/// so every later use oopses. Deliberately not `AutoCloseable`: a child that returns it as its
/// own driver data must not revoke it.
final class NovaDevice implements NovaAuxData {
    private final PciDevice<Bound> pdev;
    private final IoMem bar0;
    private final IoMem bar1;
    private final Boot0 boot0;
    private final Chipset chipset;
    private final long vramSize;
    private final Scope scope;
    private final VramHeap heap;
    private final AtomicReferenceArray<HwChannel> channels = new AtomicReferenceArray<>(NvRegs.INTR_CHANNELS);
    private final List<GpuVm> vms = new CopyOnWriteArrayList<>();

    NovaDevice(PciDevice<Bound> pdev, IoMem bar0, IoMem bar1, Boot0 boot0, Chipset chipset, long vramSize,
               long usableVram) {
        this.pdev = pdev;
        this.bar0 = bar0;
        this.bar1 = bar1;
        this.boot0 = boot0;
        this.chipset = chipset;
        this.vramSize = vramSize;
        this.scope = new Scope(pdev.kernel().oopses(), "nova-core registration data of " + pdev.name());
        // The BAR1 aperture is plain memory: its segment is what mmap faults install.
        var region = pdev.kernel().hw().mmio().mappingAt(bar1.base()).region();
        this.heap = new VramHeap(scope, bar1, region.segment(0, bar1.size()), Math.min(usableVram, bar1.size()));
    }

    PciDevice<Bound> pdev() {
        return pdev;
    }

    SimClock clock() {
        return pdev.kernel().clock();
    }

    VramHeap heap() {
        return heap;
    }

    @Override
    public Chipset chipset() {
        scope.check("nova chipset");
        return chipset;
    }

    @Override
    public Boot0 boot0() {
        scope.check("nova boot0");
        return boot0;
    }

    @Override
    public long bar1Length() {
        scope.check("nova bar1Length");
        return bar1.size();
    }

    @Override
    public long vramSize() {
        scope.check("nova vramSize");
        return vramSize;
    }

    @Override
    public long usableVramSize() {
        scope.check("nova usableVramSize");
        return heap.limit();
    }

    @Override
    public long freeVram() {
        scope.check("nova freeVram");
        return heap.freeBytes();
    }

    @Override
    public VramAllocation allocVram(long size) throws KernelException {
        scope.check("nova allocVram");
        return heap.alloc(size);
    }

    @Override
    public NovaVm createVm() throws KernelException {
        scope.check("nova createVm");
        GpuVm vm = new GpuVm(this, pdev, scope);
        vms.add(vm);
        return vm;
    }

    void vmClosed(GpuVm vm) {
        vms.remove(vm);
    }

    @Override
    public NovaChannel createChannel(NovaVm vm, NovaChannel.SeqnoListener listener) throws KernelException {
        scope.check("nova createChannel");
        Objects.requireNonNull(listener, "listener");
        if (!(vm instanceof GpuVm g) || g.device() != this || g.isClosed()) {
            throw new KernelException(Errno.EINVAL, "not a live VM of " + pdev.name());
        }
        for (int id = 0; id < channels.length(); id++) {
            if (channels.compareAndSet(id, null, HwChannel.RESERVED)) {
                try {
                    HwChannel ch = HwChannel.start(this, pdev, scope, bar0, id, g, listener);
                    g.channels.add(ch);
                    enableLeaves(id, true);
                    channels.set(id, ch);
                    return ch;
                } catch (KernelException | RuntimeException e) {
                    channels.set(id, null);
                    throw e;
                }
            }
        }
        throw new KernelException(Errno.EBUSY, "all " + channels.length() + " channels in use");
    }

    private void enableLeaves(int id, boolean on) {
        int word = NvRegs.intrLeafWord(id);
        int bit = NvRegs.intrLeafBit(id);
        for (NvReg en : new NvReg[] {NvReg.NV_PMC_INTR_STALL_LEAF_EN, NvReg.NV_PMC_INTR_NONSTALL_LEAF_EN}) {
            long off = en.offset(word);
            synchronized (bar0) {
                int v = bar0.read32(off);
                bar0.write32(off, on ? v | bit : v & ~bit);
            }
        }
    }

    /// Called by a stopping channel (under its lock): no more interrupts for it.
    void channelStopped(HwChannel ch) {
        enableLeaves(ch.rawId(), false);
        channels.compareAndSet(ch.rawId(), ch, null);
    }

    /// Enables the top-level interrupt sources (probe, after the IRQ was requested).
    void enableInterrupts() {
        bar0.write32(NvReg.NV_PMC_INTR_EN_0.offset(),
                (int) (NvRegs.PMC_INTR_STALL.mask() | NvRegs.PMC_INTR_NONSTALL.mask()));
    }

    /// The hard interrupt handler: acknowledges the leaves and dispatches per channel.
    IrqReturn irq() {
        if (!bar0.isMapped()) {
            return IrqReturn.NONE;
        }
        int top = bar0.read32(NvReg.NV_PMC_INTR_0.offset());
        if (top == 0) {
            return IrqReturn.NONE;
        }
        for (int w = 0; w < 2; w++) {
            int stall = bar0.read32(NvReg.NV_PMC_INTR_STALL_LEAF.offset(w));
            int nonStall = bar0.read32(NvReg.NV_PMC_INTR_NONSTALL_LEAF.offset(w));
            if (stall != 0) {
                bar0.write32(NvReg.NV_PMC_INTR_STALL_LEAF.offset(w), stall);
            }
            if (nonStall != 0) {
                bar0.write32(NvReg.NV_PMC_INTR_NONSTALL_LEAF.offset(w), nonStall);
            }
            for (int b = 0; b < 32; b++) {
                int bit = 1 << b;
                if (((stall | nonStall) & bit) == 0) {
                    continue;
                }
                HwChannel ch = channels.get(w * 32 + b);
                if (ch == null || ch == HwChannel.RESERVED) {
                    continue;
                }
                if ((nonStall & bit) != 0) {
                    ch.onNonStall();
                }
                if ((stall & bit) != 0) {
                    ch.onStall();
                }
            }
        }
        return IrqReturn.HANDLED;
    }

    @Override
    public boolean isAlive() {
        return scope.isAlive();
    }

    /// Revokes the data: stops every channel (pending work completes with `ECANCELED`), then ends
    /// the scope. VRAM, table and channel memory not closed by its owner is released by devres.
    void revoke() {
        for (int id = 0; id < channels.length(); id++) {
            HwChannel ch = channels.get(id);
            if (ch != null && ch != HwChannel.RESERVED) {
                ch.stopIfOpen();
            }
        }
        bar0.write32(NvReg.NV_PMC_INTR_EN_0.offset(), 0);
        scope.end();
        vms.clear();
    }
}
