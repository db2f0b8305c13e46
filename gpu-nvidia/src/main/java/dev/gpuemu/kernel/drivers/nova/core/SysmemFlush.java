package dev.gpuemu.kernel.drivers.nova.core;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.bus.pci.PciDevice;
import dev.gpuemu.kernel.driver.Bound;
import dev.gpuemu.kernel.io.DmaCoherent;
import dev.gpuemu.kernel.io.IoMem;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.regs.nvidia.NvHal;
import dev.gpuemu.regs.nvidia.NvReg;
import dev.gpuemu.regs.nvidia.NvRegs;

/// nova-core's `SysmemFlush`: one coherent DMA page whose bus address is written to
/// `NV_PFB_NISO_FLUSH_SYSMEM_ADDR(_HI)` (GA100+ HAL: HI then LO; Turing: LO only).
///
/// ## Lifecycle
/// registered in probe → [#unregister] once from the driver-data drop (while BAR0 is mapped).
final class SysmemFlush {
    private final IoMem bar0;
    private final NvHal hal;
    private final DmaCoherent page;
    private final long addr;
    private boolean unregistered;

    private SysmemFlush(IoMem bar0, NvHal hal, DmaCoherent page) {
        this.bar0 = bar0;
        this.hal = hal;
        this.page = page;
        this.addr = page.dmaAddress();
    }

    static SysmemFlush register(PciDevice<? extends Bound> pdev, IoMem bar0, NvHal hal) throws KernelException {
        DmaCoherent page = DmaCoherent.alloc(pdev, 4096, "nova-core sysmem flush");
        long addr = page.dmaAddress();
        if (!hal.sysmemFlushAddrValid(addr)) {
            page.free();
            throw new KernelException(Errno.EINVAL, "sysmem flush page 0x" + Long.toHexString(addr)
                    + " not usable on " + hal.name());
        }
        if (hal.hasSysmemFlushHi()) {
            bar0.write32(NvReg.NV_PFB_NISO_FLUSH_SYSMEM_ADDR_HI.offset(), NvRegs.sysmemFlushHi(addr));
        }
        bar0.write32(NvReg.NV_PFB_NISO_FLUSH_SYSMEM_ADDR.offset(), NvRegs.sysmemFlushLo(addr));
        return new SysmemFlush(bar0, hal, page);
    }

    long address() {
        return addr;
    }

    /// Writes 0 when the registers still hold our page; warns otherwise.
    void unregister(PciDevice<?> pdev) {
        if (unregistered) {
            throw new IllegalStateException("sysmem flush page already unregistered");
        }
        unregistered = true;
        int lo = bar0.read32(NvReg.NV_PFB_NISO_FLUSH_SYSMEM_ADDR.offset());
        int hi = hal.hasSysmemFlushHi() ? bar0.read32(NvReg.NV_PFB_NISO_FLUSH_SYSMEM_ADDR_HI.offset()) : 0;
        if (NvRegs.sysmemFlushAddr(lo, hi) == addr) {
            if (hal.hasSysmemFlushHi()) {
                bar0.write32(NvReg.NV_PFB_NISO_FLUSH_SYSMEM_ADDR_HI.offset(), 0);
            }
            bar0.write32(NvReg.NV_PFB_NISO_FLUSH_SYSMEM_ADDR.offset(), 0);
        } else {
            pdev.warn("attempt to unregister a sysmem flush page that is not active");
        }
        page.free();
    }
}
