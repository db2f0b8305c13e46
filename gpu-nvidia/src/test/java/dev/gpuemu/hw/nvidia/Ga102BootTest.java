package dev.gpuemu.hw.nvidia;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.machine.GuestErrors.Kind;
import dev.gpuemu.regs.nvidia.Chipset;
import dev.gpuemu.regs.nvidia.NvReg;
import dev.gpuemu.regs.nvidia.NvRegs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/// GFW boot progress and its priv-level gating, and the sysmem flush registers per HAL.
class Ga102BootTest {
    private static final long DELAY = NvConfig.DEFAULT_GFW_BOOT_DELAY_NS;
    private NvTestSupport nv;

    @AfterEach
    void tearDown() {
        if (nv != null) {
            nv.close();
        }
    }

    private long mask() {
        return nv.readl(NvReg.NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_PRIV_LEVEL_MASK);
    }

    private long gfw() {
        return nv.readl(NvReg.NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_0_GFW_BOOT);
    }

    @Test
    void shouldCompleteGfwBootAfterTheDelayAndNotBefore() {
        nv = NvTestSupport.open();
        nv.step(DELAY - 1);
        assertEquals(0, mask() & 1, "still protected 1 ns before completion");
        nv.step(1);
        assertEquals(1, mask() & 1);
        assertEquals(NvRegs.GFW_BOOT_PROGRESS_COMPLETED, NvRegs.GFW_BOOT_PROGRESS.get(gfw()));
        assertEquals(0, nv.errors.total());
    }

    @Test
    void shouldAnswerAPrivViolationWhenGfwBootIsReadWhileProtected() {
        nv = NvTestSupport.open();
        long v = gfw();
        assertEquals(Integer.toUnsignedLong(NvRegs.PRI_PRIV_LEVEL_VIOLATION), v);
        assertTrue(NvRegs.isPriError((int) v));
        assertEquals(1, nv.count(Kind.DEVICE));
    }

    @Test
    void shouldRestartGfwBootOnFunctionLevelReset() {
        nv = NvTestSupport.open(NvConfig.defaults().withVramBytes(16L << 20).withGfwBootDelayNs(1_000));
        nv.step(1_000);
        assertEquals(1, mask());
        nv.writel(NvReg.NV_PBUS_SW_SCRATCH.offset(3), 7);
        nv.gpu.functionLevelReset();
        assertEquals(0, mask());
        assertEquals(0, nv.readl(NvReg.NV_PBUS_SW_SCRATCH.offset(3)));
        assertEquals(1, ((NoHost) nv.gpu.host()).resets());
        nv.step(1_000);
        assertEquals(0xFF, gfw());
    }

    @Test
    void shouldHoldTheSysmemFlushPageWrittenHiThenLo() {
        nv = NvTestSupport.open();
        long page = 0x0000_0123_4567_8000L;
        nv.writel(NvReg.NV_PFB_NISO_FLUSH_SYSMEM_ADDR_HI, NvRegs.sysmemFlushHi(page));
        nv.writel(NvReg.NV_PFB_NISO_FLUSH_SYSMEM_ADDR, Integer.toUnsignedLong(NvRegs.sysmemFlushLo(page)));
        assertEquals(0x01, nv.readl(NvReg.NV_PFB_NISO_FLUSH_SYSMEM_ADDR_HI));
        assertEquals(0x2345_6780L, nv.readl(NvReg.NV_PFB_NISO_FLUSH_SYSMEM_ADDR));
        assertEquals(page, nv.gpu.state().sysmemFlushAddr());
        nv.writel(NvReg.NV_PFB_NISO_FLUSH_SYSMEM_ADDR_HI, 0xFFFF_FFFFL);
        assertEquals(0xFF_FFFF, nv.readl(NvReg.NV_PFB_NISO_FLUSH_SYSMEM_ADDR_HI), "HI holds bits 63:40 only");
        assertEquals(0, nv.errors.total());
    }

    @Test
    void shouldHaveOnlyTheLowFlushRegisterOnTuring() {
        nv = NvTestSupport.open(NvConfig.defaults().withVramBytes(16L << 20).withChipset(Chipset.TU102));
        nv.writel(NvReg.NV_PFB_NISO_FLUSH_SYSMEM_ADDR, 0x0012_3400L);
        assertEquals(0x0012_3400L, nv.readl(NvReg.NV_PFB_NISO_FLUSH_SYSMEM_ADDR));
        assertEquals(0x1234_0000L, nv.gpu.state().sysmemFlushAddr());
        nv.writel(NvReg.NV_PFB_NISO_FLUSH_SYSMEM_ADDR_HI, 1);
        assertEquals(Integer.toUnsignedLong(NvRegs.PRI_BAD_READ), nv.readl(NvReg.NV_PFB_NISO_FLUSH_SYSMEM_ADDR_HI));
        assertEquals(2, nv.count(Kind.DEVICE));
        assertEquals(0x1234_0000L, nv.gpu.state().sysmemFlushAddr());
        assertEquals(0, nv.readl(NvReg.NV_FUSE_STATUS_OPT_DISPLAY_GM107), "Turing: fuse at the gm107 offset");
        assertFalse(nv.readl(NvReg.NV_FUSE_STATUS_OPT_DISPLAY) == 0, "and not at the ga100 one");
    }
}
