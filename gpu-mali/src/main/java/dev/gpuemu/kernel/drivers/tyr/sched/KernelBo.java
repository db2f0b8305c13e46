package dev.gpuemu.kernel.drivers.tyr.sched;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.Bound;
import dev.gpuemu.kernel.driver.Device;
import dev.gpuemu.kernel.drivers.tyr.mmu.TyrVm;
import dev.gpuemu.kernel.io.DmaCoherent;

/// A kernel-owned buffer mapped in a VM at a kernel-chosen VA (`panthor_kernel_bo`): ring
/// buffers and sync objects in a group's VM, ring pointer pages in the MCU's VM.
///
/// ## Thread safety
/// Memory accessors are plain; the owner orders them (release before doorbells, acquire after
/// reading a sync object).
///
/// ## Lifecycle
/// [#create] → [#release] once (unmapped, VA and memory freed; tolerates a VM destroyed or a
/// binding ended first).
final class KernelBo {
    final DmaCoherent mem;
    final long va;
    final long size;
    private final TyrVm vm;
    private final KernelVaSpace space;
    private boolean released;

    private KernelBo(DmaCoherent mem, long va, long size, TyrVm vm, KernelVaSpace space) {
        this.mem = mem;
        this.va = va;
        this.size = size;
        this.vm = vm;
        this.space = space;
    }

    /// Allocates `size` bytes (page multiple), zeroed, and maps them in `vm` inside `space`.
    static KernelBo create(Device<? extends Bound> dev, TyrVm vm, KernelVaSpace space, long size, int flags,
                           String name) throws KernelException {
        long len = (size + KernelVaSpace.PAGE - 1) & -KernelVaSpace.PAGE;
        DmaCoherent mem = DmaCoherent.alloc(dev, len, name);
        long va;
        try {
            va = space.alloc(len);
        } catch (KernelException e) {
            mem.free();
            throw e;
        }
        long[] pages = new long[(int) (len / KernelVaSpace.PAGE)];
        for (int i = 0; i < pages.length; i++) {
            pages[i] = mem.dmaAddress() + i * KernelVaSpace.PAGE;
        }
        try {
            vm.map(va, pages, flags);
        } catch (KernelException | RuntimeException e) {
            space.free(va);
            mem.free();
            throw e;
        }
        return new KernelBo(mem, va, len, vm, space);
    }

    /// Unmaps and frees; once.
    void release() {
        if (released) {
            throw new IllegalStateException("kernel BO already released");
        }
        released = true;
        if (!vm.isDestroyed()) {
            try {
                vm.unmap(va, size);
            } catch (KernelException | RuntimeException e) {
                // the VM went away or the GPU is gone: the pages are freed below either way
            }
        }
        space.free(va);
        try {
            mem.free();
        } catch (IllegalStateException alreadyFreedByDevres) {
            // the binding ended first
        }
    }

    boolean isReleased() {
        return released;
    }
}
