package dev.gpuemu.hw.nvidia;

import static dev.gpuemu.regs.nvidia.FalconReg.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.machine.GuestErrors.Kind;
import dev.gpuemu.regs.nvidia.FalconFwFormat;
import dev.gpuemu.regs.nvidia.FalconRegs;
import dev.gpuemu.regs.nvidia.NvBar0Map;
import dev.gpuemu.regs.nvidia.NvReg;
import dev.gpuemu.tools.nvfw.NvFirmwareImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/// The falcons as nova-core drives them: ENGINE reset, scrubbing, firmware DMA from system memory
/// (or VRAM), BOOTVEC + STARTCPU, the mailbox handshake of the shipped images, HALTED, and the
/// failure paths (malformed image, DMA refused, start while scrubbing).
class Ga102FalconTest {
    private static final long GSP = NvBar0Map.GSP_FALCON_BASE;
    private static final long SEC2 = NvBar0Map.SEC2_FALCON_BASE;
    private static final long US = 1_000;
    private NvTestSupport nv;

    @BeforeEach
    void setUp() {
        nv = NvTestSupport.open();
        nv.step(NvConfig.DEFAULT_FALCON_SCRUB_NS); // power-on scrubbing
    }

    @AfterEach
    void tearDown() {
        nv.close();
    }

    /// nova-core's reset_eng + reset_wait_mem_scrubbing.
    private void reset(long f) {
        nv.writel(f, ENGINE, 1);
        nv.writel(f, ENGINE, 0);
        assertTrue(FalconRegs.HWCFG2_MEM_SCRUBBING.isSet(nv.readl(f, HWCFG2)));
        nv.step(NvConfig.DEFAULT_FALCON_SCRUB_NS);
        assertFalse(FalconRegs.HWCFG2_MEM_SCRUBBING.isSet(nv.readl(f, HWCFG2)));
    }

    /// nova-core's dma_load: DMACTL, FBIF_TRANSCFG[0], base, then one 256-byte command per block.
    private void load(long f, long src, int bytes, int target) {
        nv.writel(f, DMACTL, 0);
        nv.writel(f, FBIF_TRANSCFG, FalconRegs.fbifPhysical(target));
        nv.writel(f, DMATRFBASE, Integer.toUnsignedLong(FalconRegs.dmaBase(src)));
        nv.writel(f, DMATRFBASE1, FalconRegs.dmaBase1(src));
        for (int off = 0; off < bytes; off += 256) {
            nv.writel(f, DMATRFMOFFS, off);
            nv.writel(f, DMATRFFBOFFS, off);
            nv.writel(f, DMATRFCMD, FalconRegs.dmaLoadCommand(true, 0));
            if (FalconRegs.DMATRFCMD_FULL.isSet(nv.readl(f, DMATRFCMD))) {
                nv.step(US);
            }
        }
        nv.step(10 * US);
        assertTrue(FalconRegs.DMATRFCMD_IDLE.isSet(nv.readl(f, DMATRFCMD)));
    }

    private void start(long f, long nonce) {
        nv.writel(f, BOOTVEC, 0);
        nv.writel(f, MAILBOX0, nonce);
        nv.writel(f, MAILBOX1, 0);
        nv.writel(f, CPUCTL, FalconRegs.CPUCTL_STARTCPU.mask());
    }

    private boolean halted(long f) {
        return FalconRegs.CPUCTL_HALTED.isSet(nv.readl(f, CPUCTL));
    }

    @Test
    void shouldRunTheBooterHandshakeOnSec2() {
        byte[] fw = NvFirmwareImages.booterLoad();
        long src = nv.dmaBuffer(fw);
        reset(SEC2);
        load(SEC2, src, fw.length, FalconRegs.FBIF_TARGET_COHERENT_SYSMEM);
        start(SEC2, 0x1234_5678L);
        assertFalse(halted(SEC2));
        nv.step(10 * US);
        assertTrue(halted(SEC2));
        assertEquals(FalconFwFormat.STATUS_OK, nv.readl(SEC2, MAILBOX0));
        assertEquals(Integer.toUnsignedLong(0x1234_5678 ^ FalconFwFormat.BOOTER_SIGNATURE), nv.readl(SEC2, MAILBOX1));
        assertEquals(FalconFwFormat.DONE_SEC2, nv.readl(NvReg.NV_PBUS_SW_SCRATCH.offset(FalconFwFormat.DONE_SCRATCH_INDEX)));
        assertTrue((nv.readl(SEC2, IRQSTAT) & FalconRegs.IRQ_HALT) != 0);
        nv.writel(SEC2, IRQSCLR, FalconRegs.IRQ_HALT);
        assertEquals(0, nv.readl(SEC2, IRQSTAT));
        assertEquals(0, nv.errors.total());
    }

    @Test
    void shouldWaitForTheDriversAckOnTheGsp() {
        byte[] fw = NvFirmwareImages.gsp();
        long src = nv.dmaBuffer(fw);
        reset(GSP);
        load(GSP, src, fw.length, FalconRegs.FBIF_TARGET_COHERENT_SYSMEM);
        start(GSP, 0x0BAD_CAFEL);
        nv.step(10 * US);
        assertEquals(Integer.toUnsignedLong(FalconFwFormat.GSP_READY), nv.readl(GSP, MAILBOX0));
        assertEquals(Integer.toUnsignedLong(0x0BAD_CAFE ^ FalconFwFormat.GSP_SIGNATURE), nv.readl(GSP, MAILBOX1));
        assertTrue((nv.readl(GSP, IRQSTAT) & FalconRegs.IRQ_SWGEN0) != 0);
        nv.step(100 * US);
        assertFalse(halted(GSP), "still waiting for the ack");
        nv.writel(GSP, MAILBOX0, Integer.toUnsignedLong(FalconFwFormat.GSP_ACK));
        nv.step(10 * US);
        assertTrue(halted(GSP));
        assertEquals(FalconFwFormat.STATUS_OK, nv.readl(GSP, MAILBOX0));
        assertEquals(FalconFwFormat.DONE_GSP, nv.readl(NvReg.NV_PBUS_SW_SCRATCH.offset(FalconFwFormat.DONE_SCRATCH_INDEX)));
        assertEquals(0, nv.errors.total());
    }

    @Test
    void shouldLoadFromVramThroughTheLocalFbTarget() {
        byte[] fw = NvFirmwareImages.booterLoad();
        java.lang.foreign.MemorySegment.copy(java.lang.foreign.MemorySegment.ofArray(fw), 0,
                nv.gpu.ports().vram(), 0x10_0000, fw.length);
        reset(SEC2);
        load(SEC2, 0x10_0000, fw.length, FalconRegs.FBIF_TARGET_LOCAL_FB);
        start(SEC2, 1);
        nv.step(10 * US);
        assertEquals(FalconFwFormat.STATUS_OK, nv.readl(SEC2, MAILBOX0));
        assertEquals(0, nv.errors.total());
    }

    @Test
    void shouldHaltWithAnErrorCodeOnMalformedFirmware() {
        byte[] fw = NvFirmwareImages.booterLoad();
        fw[FalconFwFormat.HEADER_SIZE] ^= 0x40; // program byte: checksum mismatch
        long src = nv.dmaBuffer(fw);
        reset(SEC2);
        load(SEC2, src, fw.length, FalconRegs.FBIF_TARGET_COHERENT_SYSMEM);
        start(SEC2, 1);
        assertTrue(halted(SEC2));
        assertEquals(Integer.toUnsignedLong(FalconFwFormat.ERR_BAD_CHECKSUM), nv.readl(SEC2, MAILBOX0));
        assertEquals(1, nv.count(Kind.DEVICE));
    }

    @Test
    void shouldRejectTheGspImageOnSec2AndAnEmptyImem() {
        reset(GSP);
        start(GSP, 1); // nothing loaded
        assertEquals(Integer.toUnsignedLong(FalconFwFormat.ERR_BAD_MAGIC), nv.readl(GSP, MAILBOX0));
        byte[] fw = NvFirmwareImages.gsp();
        long src = nv.dmaBuffer(fw);
        reset(SEC2);
        load(SEC2, src, fw.length, FalconRegs.FBIF_TARGET_COHERENT_SYSMEM);
        start(SEC2, 1);
        assertEquals(Integer.toUnsignedLong(FalconFwFormat.ERR_WRONG_FALCON), nv.readl(SEC2, MAILBOX0));
        assertEquals(2, nv.count(Kind.DEVICE));
    }

    @Test
    void shouldHaltOnABadOpcodeAtRunTime() {
        byte[] fw = FalconFwFormat.image(FalconFwFormat.FALCON_ANY, 1, FalconFwFormat.instr(0x77, 0, 0));
        long src = nv.dmaBuffer(fw);
        reset(GSP);
        load(GSP, src, fw.length, FalconRegs.FBIF_TARGET_COHERENT_SYSMEM);
        start(GSP, 1);
        nv.step(10 * US);
        assertEquals(Integer.toUnsignedLong(FalconFwFormat.ERR_BAD_OPCODE), nv.readl(GSP, MAILBOX0));
        assertTrue(halted(GSP));
    }

    @Test
    void shouldRefuseStartAndDmaWhileScrubbingAndDropWritesInReset() {
        nv.writel(GSP, ENGINE, 1);
        nv.writel(GSP, MAILBOX0, 9);
        assertEquals(0, nv.readl(GSP, MAILBOX0));
        assertFalse(FalconRegs.HWCFG2_RESET_READY.isSet(nv.readl(GSP, HWCFG2)));
        nv.writel(GSP, ENGINE, 0);
        nv.writel(GSP, CPUCTL, FalconRegs.CPUCTL_STARTCPU.mask());
        nv.writel(GSP, DMATRFCMD, FalconRegs.dmaLoadCommand(true, 0));
        assertEquals(3, nv.count(Kind.DEVICE));
        assertFalse(halted(GSP));
    }

    @Test
    void shouldCountDmaRefusedWithoutBusMastering() {
        byte[] fw = NvFirmwareImages.booterLoad();
        long src = nv.dmaBuffer(fw);
        nv.pci.configWrite(NvTestSupport.BDF, dev.gpuemu.machine.pci.PciConfigSpace.COMMAND,
                dev.gpuemu.machine.bus.AccessSize.WORD, dev.gpuemu.machine.pci.PciConfigSpace.COMMAND_MEMORY);
        reset(SEC2);
        load(SEC2, src, fw.length, FalconRegs.FBIF_TARGET_COHERENT_SYSMEM);
        assertEquals(1, nv.count(Kind.DMA_WITHOUT_BUS_MASTER));
        start(SEC2, 1);
        assertEquals(Integer.toUnsignedLong(FalconFwFormat.ERR_BAD_MAGIC), nv.readl(SEC2, MAILBOX0));
    }
}
