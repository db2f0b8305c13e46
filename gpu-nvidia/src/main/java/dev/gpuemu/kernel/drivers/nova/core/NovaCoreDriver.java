package dev.gpuemu.kernel.drivers.nova.core;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.bus.auxiliary.AuxiliaryRegistration;
import dev.gpuemu.kernel.bus.pci.PciDevice;
import dev.gpuemu.kernel.bus.pci.PciDeviceId;
import dev.gpuemu.kernel.bus.pci.PciDriver;
import dev.gpuemu.kernel.driver.Bound;
import dev.gpuemu.kernel.driver.Core;
import dev.gpuemu.kernel.io.Dma;
import dev.gpuemu.kernel.io.IoMem;
import dev.gpuemu.kernel.io.IrqRegistration;
import dev.gpuemu.kernel.sync.Delay;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.regs.nvidia.Boot0;
import dev.gpuemu.regs.nvidia.Chipset;
import dev.gpuemu.regs.nvidia.NvBar0Map;
import dev.gpuemu.regs.nvidia.NvReg;
import dev.gpuemu.regs.nvidia.NvRegs;
import java.util.List;
import java.util.Optional;

/// nova-core, the PCI driver (kernel-semantics §6.1): matches NVIDIA display-class devices and
/// brings the GPU up to the point where nova-drm can use its copy engine.
///
/// Probe: enable memory decoding and bus mastering, 47-bit DMA mask, map BAR0 (16 MiB,
/// `nova-core/bar0`), read `NV_PMC_BOOT_0` (unknown chipset -> `ENODEV`), log the chip, wait for
/// GFW boot (`ETIMEDOUT`, "GFW boot did not complete"), register the sysmem flush page, reset and
/// boot the SEC2 (`booter_load`) and GSP (`gsp`) falcons with the image's firmware, map BAR1,
/// request the interrupt, and create `NovaCore.nova-drm.<id>` with [NovaAuxData] (ids from a
/// global counter). Unbind: [NovaCoreData#close] (child first, then the data, then the sysmem
/// flush page), then devres.
public final class NovaCoreDriver implements PciDriver<NovaCoreData> {
    /// The module name (`KBUILD_MODNAME`), also the driver name in log prefixes.
    public static final String NAME = NovaAuxData.MODNAME;
    /// 47-bit DMA mask.
    public static final int DMA_MASK_BITS = 47;
    /// GFW boot wait: poll every 1 ms for up to 4 s.
    static final long GFW_POLL_NS = 1_000_000L;
    static final long GFW_TIMEOUT_NS = 4_000_000_000L;
    private static final long FRTS_SIZE = 1L << 20;
    private static final long FRTS_ALIGN = 128L << 10;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<PciDeviceId> idTable() {
        return List.of(PciDeviceId.ofClass(NvRegs.VENDOR_ID, NvRegs.CLASS_CODE, 0xFFFF00),
                PciDeviceId.ofClass(NvRegs.VENDOR_ID, NvRegs.CLASS_CODE_3D, 0xFFFF00));
    }

    @Override
    public NovaCoreData probe(PciDevice<Core> core) throws KernelException {
        core.dbg("Probe Nova Core GPU driver.");
        PciDevice<Bound> pdev = core.bound();
        pdev.enableDeviceMem();
        pdev.setMaster();
        Dma.setMask(pdev, DMA_MASK_BITS);
        IoMem bar0 = pdev.iomapRegion(0, "nova-core/bar0");
        if (bar0.size() < NvBar0Map.BAR0_SIZE) {
            pdev.err("BAR0 of " + bar0.size() + " bytes is smaller than 16 MiB");
            throw new KernelException(Errno.ENODEV);
        }

        Boot0 boot0 = Boot0.decode(bar0.read32(NvReg.NV_PMC_BOOT_0.offset()));
        Optional<Chipset> known = boot0.chipset();
        if (known.isEmpty()) {
            pdev.err(String.format("Unsupported chipset: 0x%x", boot0.chipsetId()));
            throw new KernelException(Errno.ENODEV);
        }
        Chipset chipset = known.get();
        pdev.info(String.format("NVIDIA (Chipset: %s, Architecture: %s, Revision: %s)", chipset.printName(),
                chipset.architecture().printName(), boot0.revisionString()));

        waitGfwBoot(pdev, bar0);
        SysmemFlush flush = SysmemFlush.register(pdev, bar0, chipset.hal());
        try {
            bootFalcons(pdev, bar0, chipset);
            long vram = NvRegs.decodeLocalMemoryRange(bar0.read32(NvReg.NV_PFB_PRI_MMU_LOCAL_MEMORY_RANGE.offset()));
            long usable = usableVram(bar0, chipset, vram);
            IoMem bar1 = pdev.iomapRegion(1, "nova-core/bar1");
            NovaDevice device = new NovaDevice(pdev, bar0, bar1, boot0, chipset, vram, usable);
            IrqRegistration irq = IrqRegistration.request(pdev, pdev.irq(), NAME, line -> device.irq());
            device.enableInterrupts();
            // Upstream takes ids from a global counter; here "global" is this kernel (one per machine).
            int id = pdev.kernel().auxiliaryBus().allocateId();
            AuxiliaryRegistration<NovaAuxData> aux = AuxiliaryRegistration.create(pdev, NovaAuxData.MODNAME,
                    NovaAuxData.AUX_NAME, id, device);
            return new NovaCoreData(pdev, bar0, irq, flush, device, aux);
        } catch (KernelException | RuntimeException e) {
            flush.unregister(pdev);
            throw e;
        }
    }

    private static void waitGfwBoot(PciDevice<Bound> pdev, IoMem bar0) throws KernelException {
        boolean ok = Delay.readPollTimeout(pdev.kernel().clock(), () -> {
            int mask = bar0.read32(NvReg.NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_PRIV_LEVEL_MASK.offset());
            if (!NvRegs.PRIV_LEVEL_MASK_READ_PROTECTION_LEVEL0.isSet(mask)) {
                return false;
            }
            int progress = bar0.read32(NvReg.NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_0_GFW_BOOT.offset());
            return NvRegs.GFW_BOOT_PROGRESS.get(progress) == NvRegs.GFW_BOOT_PROGRESS_COMPLETED;
        }, done -> done, GFW_POLL_NS, GFW_TIMEOUT_NS).ok();
        if (!ok) {
            pdev.err("GFW boot did not complete");
            throw new KernelException(Errno.ETIMEDOUT);
        }
    }

    private static void bootFalcons(PciDevice<Bound> pdev, IoMem bar0, Chipset chipset) throws KernelException {
        FalconBoot fb = new FalconBoot(pdev, bar0);
        fb.reset("GSP", NvBar0Map.GSP_FALCON_BASE);
        fb.reset("SEC2", NvBar0Map.SEC2_FALCON_BASE);
        int nonce = (int) (pdev.kernel().clock().nowNs() * 0x9E37_79B9L) | 1;
        fb.load("SEC2", NvBar0Map.SEC2_FALCON_BASE, chipset, "booter_load");
        fb.runBooter(nonce);
        fb.load("GSP", NvBar0Map.GSP_FALCON_BASE, chipset, "gsp");
        fb.runGsp(nonce * 31);
        pdev.dbg("SEC2 booter and GSP booted");
    }

    /// Everything below FRTS (1 MiB below the VGA workspace, aligned down to 128 KiB) (§6.3).
    static long usableVram(IoMem bar0, Chipset chipset, long vram) {
        int fuse = bar0.read32(chipset.hal().fuseStatusOptDisplayOffset());
        long vgaStart = vram - NvRegs.VGA_WORKSPACE_SIZE;
        if (!NvRegs.FUSE_STATUS_OPT_DISPLAY_DATA.isSet(fuse)) {
            int ws = bar0.read32(NvReg.NV_PDISP_VGA_WORKSPACE_BASE.offset());
            if (NvRegs.VGA_WORKSPACE_STATUS_VALID.isSet(ws)) {
                long addr = NvRegs.vgaWorkspaceAddr(ws);
                if (addr > FRTS_SIZE && addr < vram) {
                    vgaStart = addr;
                }
            }
        }
        return (vgaStart - FRTS_SIZE) & ~(FRTS_ALIGN - 1);
    }
}
