package dev.gpuemu.kernel.drivers.edu;

import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.bus.pci.PciDevice;
import dev.gpuemu.kernel.bus.pci.PciDeviceId;
import dev.gpuemu.kernel.bus.pci.PciDriver;
import dev.gpuemu.kernel.driver.Bound;
import dev.gpuemu.kernel.driver.Core;
import dev.gpuemu.kernel.io.Dma;
import dev.gpuemu.kernel.io.DmaCoherent;
import dev.gpuemu.kernel.io.IoMem;
import dev.gpuemu.kernel.io.IrqRegistration;
import dev.gpuemu.kernel.io.IrqReturn;
import dev.gpuemu.kernel.sync.Completion;
import dev.gpuemu.regs.edu.EduReg;
import dev.gpuemu.regs.edu.EduRegs;
import java.util.List;

/// PCI driver for the edu test device.
///
/// Probe is a straight-line story: enable memory decoding, map BAR0, check the ID and the
/// liveness register, set the 28-bit DMA mask and bus mastering, request the interrupt, then run
/// two self-tests that exercise the whole machine: a factorial completed by interrupt, and a DMA
/// round trip through a coherent buffer. Every wait is in simulated time.
///
/// Registers come from the shared map in `dev.gpuemu.regs.edu`, the same data the device model
/// decodes with.
public final class EduDriver implements PciDriver<EduData> {
    /// How long the driver waits for an interrupt, in simulated ns.
    static final long IRQ_TIMEOUT_NS = 10_000_000L;
    static final int SELFTEST_BYTES = 4096;

    @Override
    public String name() {
        return "edu";
    }

    @Override
    public List<PciDeviceId> idTable() {
        return List.of(PciDeviceId.of(EduRegs.VENDOR_ID, EduRegs.DEVICE_ID));
    }

    @Override
    public EduData probe(PciDevice<Core> pdev) throws KernelException {
        pdev.enableDeviceMem();
        IoMem bar = pdev.iomapRegion(0, "edu/bar0");

        int id = bar.read32(EduReg.ID.offset());
        if (EduRegs.ID_MAGIC.get(id) != EduRegs.ID_MAGIC_VALUE) {
            pdev.err(String.format("unexpected ID register 0x%08x", id));
            throw new KernelException(Errno.ENODEV);
        }
        pdev.info(String.format("edu device v%d.%d, BAR0 %s", EduRegs.ID_MAJOR.get(id), EduRegs.ID_MINOR.get(id), bar));

        bar.write32(EduReg.LIVENESS.offset(), 0x1234_5678);
        if (bar.read32(EduReg.LIVENESS.offset()) != ~0x1234_5678) {
            pdev.err("liveness check failed");
            throw new KernelException(Errno.EIO);
        }

        Dma.setMask(pdev, EduRegs.DMA_MASK_BITS);
        pdev.setMaster();

        Completion done = new Completion(pdev.kernel().clock());
        IrqRegistration irq = IrqRegistration.request(pdev, pdev.irq(), "edu", line -> {
            int pending = bar.read32(EduReg.IRQ_STATUS.offset());
            if (pending == 0) {
                return IrqReturn.NONE;
            }
            bar.write32(EduReg.IRQ_ACK.offset(), pending);
            done.complete();
            return IrqReturn.HANDLED;
        });

        factorialSelfTest(pdev, bar, done);
        dmaSelfTest(pdev, bar, done);
        pdev.info("probe complete, irq " + irq.irq());
        return new EduData(bar, irq);
    }

    @Override
    public void unbind(PciDevice<Core> pdev, EduData data) {
        pdev.info("unbinding");
    }

    private static void factorialSelfTest(PciDevice<Core> pdev, IoMem bar, Completion done) throws KernelException {
        long start = pdev.kernel().clock().nowNs();
        done.reinit();
        bar.write32(EduReg.STATUS.offset(), (int) EduRegs.STATUS_IRQ_ON_FACTORIAL.with(0, 1));
        bar.write32(EduReg.FACTORIAL.offset(), 10);
        if (!done.waitForCompletionTimeout(IRQ_TIMEOUT_NS)) {
            pdev.err("factorial interrupt timed out");
            throw new KernelException(Errno.ETIMEDOUT);
        }
        int result = bar.read32(EduReg.FACTORIAL.offset());
        if (result != 3_628_800) {
            pdev.err("factorial(10) returned " + result);
            throw new KernelException(Errno.EIO);
        }
        pdev.info("factorial(10) = " + result + " by interrupt after "
                + (pdev.kernel().clock().nowNs() - start) + " ns");
    }

    private static void dmaSelfTest(PciDevice<Core> pdev, IoMem bar, Completion done) throws KernelException {
        DmaCoherent buf = DmaCoherent.alloc(pdev, SELFTEST_BYTES, "edu-selftest");
        for (int i = 0; i < SELFTEST_BYTES; i += 4) {
            buf.write32(i, 0x9E37_79B9 * (i + 1));
        }
        transfer(pdev, bar, done, buf.dmaAddress(), EduRegs.DMA_BUFFER, false);
        for (int i = 0; i < SELFTEST_BYTES; i += 4) {
            buf.write32(i, 0);
        }
        transfer(pdev, bar, done, EduRegs.DMA_BUFFER, buf.dmaAddress(), true);
        for (int i = 0; i < SELFTEST_BYTES; i += 4) {
            if (buf.read32(i) != 0x9E37_79B9 * (i + 1)) {
                pdev.err("DMA self-test mismatch at offset " + i);
                throw new KernelException(Errno.EIO);
            }
        }
        buf.free();
        pdev.info("DMA self-test passed: " + SELFTEST_BYTES + " bytes each way");
    }

    private static void transfer(PciDevice<? extends Bound> pdev, IoMem bar, Completion done, long src, long dst,
                                 boolean toRam) throws KernelException {
        done.reinit();
        bar.write64(EduReg.DMA_SRC.offset(), src);
        bar.write64(EduReg.DMA_DST.offset(), dst);
        bar.write64(EduReg.DMA_COUNT.offset(), SELFTEST_BYTES);
        long cmd = EduRegs.DMA_CMD_START.with(0, 1);
        cmd = EduRegs.DMA_CMD_IRQ.with(cmd, 1);
        cmd = EduRegs.DMA_CMD_TO_RAM.with(cmd, toRam ? 1 : 0);
        bar.write64(EduReg.DMA_CMD.offset(), cmd);
        if (!done.waitForCompletionTimeout(IRQ_TIMEOUT_NS)) {
            pdev.err("DMA interrupt timed out");
            throw new KernelException(Errno.ETIMEDOUT);
        }
    }
}
