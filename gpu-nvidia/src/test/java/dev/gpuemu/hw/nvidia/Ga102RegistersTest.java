package dev.gpuemu.hw.nvidia;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.machine.GuestErrors.Kind;
import dev.gpuemu.machine.bus.AccessSize;
import dev.gpuemu.machine.pci.PciConfigSpace;
import dev.gpuemu.regs.Access;
import dev.gpuemu.regs.nvidia.Chipset;
import dev.gpuemu.regs.nvidia.FalconReg;
import dev.gpuemu.regs.nvidia.NvBar0Map;
import dev.gpuemu.regs.nvidia.NvReg;
import dev.gpuemu.regs.nvidia.NvRegs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/// The GA102 through PCI config space and BAR0: identity, BAR sizes, reset values of every
/// register, VRAM size encoding, unknown offsets and read-only writes, BAR1 = VRAM.
class Ga102RegistersTest {
    private NvTestSupport nv;

    @AfterEach
    void tearDown() {
        if (nv != null) {
            nv.close();
        }
    }

    private long cfg(int off, AccessSize size) {
        return nv.pci.configRead(NvTestSupport.BDF, off, size);
    }

    @Test
    void shouldPresentNvidiaVgaIdentityAndBarSizes() {
        nv = NvTestSupport.open();
        assertEquals(0x10DE, cfg(PciConfigSpace.VENDOR_ID, AccessSize.WORD));
        assertEquals(0x2204, cfg(PciConfigSpace.DEVICE_ID, AccessSize.WORD));
        assertEquals(0xA1, cfg(PciConfigSpace.REVISION_ID, AccessSize.BYTE));
        assertEquals(0x03, cfg(PciConfigSpace.CLASS_CODE + 2, AccessSize.BYTE));
        assertEquals(0x00, cfg(PciConfigSpace.CLASS_CODE + 1, AccessSize.BYTE));
        assertEquals(1, cfg(PciConfigSpace.INTERRUPT_PIN, AccessSize.BYTE));
        nv.pci.configWrite(NvTestSupport.BDF, PciConfigSpace.COMMAND, AccessSize.WORD, 0);
        nv.pci.configWrite(NvTestSupport.BDF, PciConfigSpace.BAR0, AccessSize.DWORD, 0xFFFF_FFFFL);
        assertEquals(~(NvBar0Map.BAR0_SIZE - 1L) & 0xFFFF_FFF0L, cfg(PciConfigSpace.BAR0, AccessSize.DWORD));
        nv.pci.configWrite(NvTestSupport.BDF, PciConfigSpace.BAR0 + 4, AccessSize.DWORD, 0xFFFF_FFFFL);
        long bar1 = cfg(PciConfigSpace.BAR0 + 4, AccessSize.DWORD);
        assertEquals(PciConfigSpace.BAR_TYPE_64 | PciConfigSpace.BAR_PREFETCHABLE, bar1 & 0xF);
        assertEquals(~((16L << 20) - 1) & 0xFFFF_FFF0L, bar1 & 0xFFFF_FFF0L);
    }

    @Test
    void shouldReadEveryRegisterAtItsResetValue() {
        nv = NvTestSupport.open();
        NvConfig c = nv.gpu.nvConfig();
        for (NvReg r : NvReg.values()) {
            if (r == NvReg.NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_0_GFW_BOOT || r == NvReg.NV_PTIMER_TIME_0
                    || r == NvReg.NV_PTIMER_TIME_1 || r == NvReg.NV_FUSE_STATUS_OPT_DISPLAY_GM107) {
                continue; // gated, live, or absent on GA102: tested elsewhere
            }
            for (int i = 0; i < r.count(); i++) {
                assertEquals(r.resetValueFor(c.chipset(), c.revision(), c.vramBytes()), nv.readl(r.offset(i)),
                        r + "[" + i + "]");
            }
        }
        for (long base : new long[] {NvBar0Map.GSP_FALCON_BASE, NvBar0Map.SEC2_FALCON_BASE}) {
            for (FalconReg r : FalconReg.values()) {
                for (int i = 0; i < r.count(); i++) {
                    assertEquals(r.resetValue(), nv.readl(base + r.offset(i)), r + "[" + i + "]");
                }
            }
        }
        assertEquals(0, nv.errors.total());
    }

    @Test
    void shouldEncodeTheConfiguredVramInLocalMemoryRangeAndGroup42() {
        nv = NvTestSupport.open(NvConfig.defaults().withVramBytes(32L << 20));
        int raw = (int) nv.readl(NvReg.NV_PFB_PRI_MMU_LOCAL_MEMORY_RANGE);
        assertEquals(32L << 20, NvRegs.decodeLocalMemoryRange(raw));
        assertEquals(32, nv.readl(NvReg.NV_PGC6_AON_SECURE_SCRATCH_GROUP_42));
        int vga = (int) nv.readl(NvReg.NV_PDISP_VGA_WORKSPACE_BASE);
        assertTrue(NvRegs.VGA_WORKSPACE_STATUS_VALID.isSet(vga));
        assertEquals((32L << 20) - (1 << 20), NvRegs.vgaWorkspaceAddr(vga));
        assertEquals(0, nv.readl(NvReg.NV_FUSE_STATUS_OPT_DISPLAY), "display present");
    }

    @Test
    void shouldReportAnotherChipsetsIdentity() {
        nv = NvTestSupport.open(NvConfig.defaults().withVramBytes(16L << 20).withChipset(Chipset.AD104)
                .withRevision(0xA1));
        assertEquals(0x194000A1L, nv.readl(NvReg.NV_PMC_BOOT_0));
        assertEquals(0x2782, cfg(PciConfigSpace.DEVICE_ID, AccessSize.WORD));
    }

    @Test
    void shouldCountUnknownOffsetsAndAnswerThePriBadReadPattern() {
        nv = NvTestSupport.open();
        assertEquals(Integer.toUnsignedLong(NvRegs.PRI_BAD_READ), nv.readl(0x4));
        assertEquals(Integer.toUnsignedLong(NvRegs.PRI_BAD_READ), nv.readl(NvBar0Map.GSP_FALCON_BASE + 0x800));
        assertEquals(Integer.toUnsignedLong(NvRegs.PRI_BAD_READ), nv.readl(NvRegs.FUSE_STATUS_OPT_DISPLAY_GM107));
        nv.writel(0x123400, 1);
        nv.writel(NvBar0Map.SEC2_FALCON_BASE + 0x900, 1);
        assertEquals(5, nv.count(Kind.DEVICE));
        assertTrue(NvRegs.isPriError(NvRegs.PRI_BAD_READ));
    }

    @Test
    void shouldDropAndCountWritesToReadOnlyRegisters() {
        nv = NvTestSupport.open();
        int ro = 0;
        for (NvReg r : NvReg.values()) {
            if (r.access() == Access.RO && r != NvReg.NV_FUSE_STATUS_OPT_DISPLAY_GM107) {
                nv.writel(r.offset(), 0x5A5A_5A5AL);
                ro++;
            }
        }
        nv.writel(NvBar0Map.GSP_FALCON_BASE + FalconReg.HWCFG1.offset(), 0);
        assertEquals(ro + 1, nv.count(Kind.READ_ONLY_WRITE));
        assertEquals(0x172000A1L, nv.readl(NvReg.NV_PMC_BOOT_0));
        assertEquals(0x33, nv.readl(NvBar0Map.GSP_FALCON_BASE + FalconReg.HWCFG1.offset()));
    }

    @Test
    void shouldRejectSixtyFourBitBar0Accesses() {
        nv = NvTestSupport.open();
        nv.mmio.read(NvTestSupport.BAR0, AccessSize.QWORD);
        assertEquals(1, nv.count(Kind.INVALID_ACCESS_SIZE));
    }

    @Test
    void shouldKeepScratchRegistersAndShowBar1AsVram() {
        nv = NvTestSupport.open();
        nv.writel(NvReg.NV_PBUS_SW_SCRATCH.offset(0xE), 0xDEAD_0000L);
        assertEquals(0xDEAD, NvRegs.SW_SCRATCH_FRTS_ERR_CODE.get(nv.readl(NvReg.NV_PBUS_SW_SCRATCH.offset(0xE))));
        nv.mmio.write(NvTestSupport.BAR1 + 0x1000, AccessSize.QWORD, 0x1122_3344_5566_7788L);
        assertEquals(0x1122_3344_5566_7788L, nv.gpu.ports().vram().get(
                java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 0x1000));
    }

    @Test
    void shouldRunThePtimerOnSimulatedTime() {
        nv = NvTestSupport.open();
        long t0 = nv.readl(NvReg.NV_PTIMER_TIME_0) | nv.readl(NvReg.NV_PTIMER_TIME_1) << 32;
        nv.step(5_000);
        long t1 = nv.readl(NvReg.NV_PTIMER_TIME_0) | nv.readl(NvReg.NV_PTIMER_TIME_1) << 32;
        assertEquals(5_000, t1 - t0);
    }
}
