package dev.gpuemu.kernel.drivers.nova.core;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.bus.pci.PciDevice;
import dev.gpuemu.kernel.driver.Bound;
import dev.gpuemu.kernel.firmware.Firmware;
import dev.gpuemu.kernel.io.DmaCoherent;
import dev.gpuemu.kernel.io.IoMem;
import dev.gpuemu.kernel.sync.Delay;
import dev.gpuemu.machine.time.SimClock;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.regs.nvidia.Chipset;
import dev.gpuemu.regs.nvidia.FalconFwFormat;
import dev.gpuemu.regs.nvidia.FalconReg;
import dev.gpuemu.regs.nvidia.FalconRegs;
import dev.gpuemu.regs.nvidia.NvBar0Map;
import java.nio.ByteBuffer;

/// Falcon reset, firmware DMA load and the boot handshakes of the images gpuemu ships
/// (docs/devices/nvidia-ga102.md "Handshake the driver performs"): SEC2 runs `booter_load`, then
/// the GSP runs `gsp` and waits for the driver's ack.
final class FalconBoot {
    static final long POLL_NS = 1_000;
    static final long RESET_TIMEOUT_NS = 10_000_000;
    static final long RUN_TIMEOUT_NS = 100_000_000;

    private final PciDevice<? extends Bound> pdev;
    private final IoMem bar0;
    private final SimClock clock;

    FalconBoot(PciDevice<? extends Bound> pdev, IoMem bar0) {
        this.pdev = pdev;
        this.bar0 = bar0;
        this.clock = pdev.kernel().clock();
    }

    private int read(int base, FalconReg reg) {
        return bar0.read32(base + reg.offset());
    }

    private void write(int base, FalconReg reg, int value) {
        bar0.write32(base + reg.offset(), value);
    }

    private boolean poll(int base, FalconReg reg, java.util.function.IntPredicate done, long timeoutNs) {
        return Delay.readPollTimeout(clock, () -> read(base, reg), done::test, POLL_NS, timeoutNs).ok();
    }

    /// `ENGINE` reset then wait for memory scrubbing to finish.
    void reset(String name, int base) throws KernelException {
        write(base, FalconReg.ENGINE, 1);
        write(base, FalconReg.ENGINE, 0);
        if (!poll(base, FalconReg.HWCFG2, v -> !FalconRegs.HWCFG2_MEM_SCRUBBING.isSet(v), RESET_TIMEOUT_NS)) {
            pdev.err(name + " falcon: memory scrubbing timed out");
            throw new KernelException(Errno.ETIMEDOUT);
        }
        write(base, FalconReg.IRQSCLR, -1);
    }

    /// Requests `nvidia/<chip>/gsp/<name>-<ver>.bin` and DMAs it into IMEM at 0.
    void load(String falcon, int base, Chipset chipset, String fwName) throws KernelException {
        Firmware fw = Firmware.request(pdev, FalconFwFormat.firmwareName(chipset, fwName));
        ByteBuffer data = fw.data();
        int bytes = (data.remaining() + 255) & ~255;
        if (bytes == 0 || bytes > FalconRegs.IMEM_SIZE) {
            pdev.err(falcon + " falcon: firmware " + fw.name() + " of " + data.remaining() + " bytes does not fit");
            throw new KernelException(Errno.EINVAL);
        }
        DmaCoherent buf = DmaCoherent.alloc(pdev, bytes, "nova-core " + fwName);
        try {
            byte[] copy = new byte[data.remaining()];
            data.get(copy);
            buf.write(0, copy, 0, copy.length);
            long src = buf.dmaAddress();
            write(base, FalconReg.DMACTL, 0);
            write(base, FalconReg.FBIF_TRANSCFG, FalconRegs.fbifPhysical(FalconRegs.FBIF_TARGET_COHERENT_SYSMEM));
            write(base, FalconReg.DMATRFBASE, FalconRegs.dmaBase(src));
            write(base, FalconReg.DMATRFBASE1, FalconRegs.dmaBase1(src));
            for (int off = 0; off < bytes; off += 256) {
                if (!poll(base, FalconReg.DMATRFCMD, v -> !FalconRegs.DMATRFCMD_FULL.isSet(v), RESET_TIMEOUT_NS)) {
                    throw dmaTimeout(falcon);
                }
                write(base, FalconReg.DMATRFMOFFS, off);
                write(base, FalconReg.DMATRFFBOFFS, off);
                write(base, FalconReg.DMATRFCMD, FalconRegs.dmaLoadCommand(true, 0));
            }
            if (!poll(base, FalconReg.DMATRFCMD, v -> FalconRegs.DMATRFCMD_IDLE.isSet(v), RESET_TIMEOUT_NS)) {
                throw dmaTimeout(falcon);
            }
        } finally {
            buf.free();
        }
        write(base, FalconReg.BOOTVEC, 0);
    }

    private KernelException dmaTimeout(String falcon) {
        pdev.err(falcon + " falcon: DMA load timed out");
        return new KernelException(Errno.ETIMEDOUT);
    }

    /// SEC2 `booter_load`: nonce in MAILBOX0, start, wait for halt, check the signature.
    void runBooter(int nonce) throws KernelException {
        int base = NvBar0Map.SEC2_FALCON_BASE;
        write(base, FalconReg.MAILBOX0, nonce);
        write(base, FalconReg.MAILBOX1, 0);
        write(base, FalconReg.CPUCTL, (int) FalconRegs.CPUCTL_STARTCPU.mask());
        if (!poll(base, FalconReg.CPUCTL, v -> FalconRegs.CPUCTL_HALTED.isSet(v), RUN_TIMEOUT_NS)) {
            pdev.err("SEC2 falcon: booter did not halt");
            throw new KernelException(Errno.ETIMEDOUT);
        }
        int mbox0 = read(base, FalconReg.MAILBOX0);
        int mbox1 = read(base, FalconReg.MAILBOX1);
        write(base, FalconReg.IRQSCLR, -1);
        if (mbox0 != FalconFwFormat.STATUS_OK || mbox1 != (nonce ^ FalconFwFormat.BOOTER_SIGNATURE)) {
            pdev.err(String.format("SEC2 falcon: booter failed (mbox0 0x%08x, mbox1 0x%08x)", mbox0, mbox1));
            throw new KernelException(Errno.EIO);
        }
    }

    /// GSP `gsp`: start, wait for GSP_READY, check the signature, ack, wait for halt.
    void runGsp(int nonce) throws KernelException {
        int base = NvBar0Map.GSP_FALCON_BASE;
        write(base, FalconReg.MAILBOX0, nonce);
        write(base, FalconReg.MAILBOX1, 0);
        write(base, FalconReg.CPUCTL, (int) FalconRegs.CPUCTL_STARTCPU.mask());
        if (!poll(base, FalconReg.MAILBOX0, v -> v == FalconFwFormat.GSP_READY, RUN_TIMEOUT_NS)) {
            pdev.err(String.format("GSP falcon: no GSP_READY (mbox0 0x%08x)", read(base, FalconReg.MAILBOX0)));
            throw new KernelException(Errno.ETIMEDOUT);
        }
        write(base, FalconReg.IRQSCLR, FalconRegs.IRQ_SWGEN0);
        int mbox1 = read(base, FalconReg.MAILBOX1);
        if (mbox1 != (nonce ^ FalconFwFormat.GSP_SIGNATURE)) {
            pdev.err(String.format("GSP falcon: bad signature 0x%08x", mbox1));
            throw new KernelException(Errno.EIO);
        }
        write(base, FalconReg.MAILBOX0, FalconFwFormat.GSP_ACK);
        if (!poll(base, FalconReg.CPUCTL, v -> FalconRegs.CPUCTL_HALTED.isSet(v), RUN_TIMEOUT_NS)) {
            pdev.err("GSP falcon: did not halt after the ack");
            throw new KernelException(Errno.ETIMEDOUT);
        }
        int mbox0 = read(base, FalconReg.MAILBOX0);
        write(base, FalconReg.IRQSCLR, -1);
        if (mbox0 != FalconFwFormat.STATUS_OK) {
            pdev.err(String.format("GSP falcon: boot failed (mbox0 0x%08x)", mbox0));
            throw new KernelException(Errno.EIO);
        }
    }
}
