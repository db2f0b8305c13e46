package dev.gpuemu.hw.mali;

import static dev.gpuemu.regs.mali.MaliRegs.GPU_IRQ_CLEAN_CACHES_COMPLETED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.regs.mali.MaliReg;
import dev.gpuemu.regs.mali.MaliRegs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/// FLUSH_CACHES and its completion interrupt, CSF_LATEST_FLUSH_ID, CYCLE_COUNT and TIMESTAMP.
class MaliFlushAndCountersTest {
    /// 500 setup cycles + 4096 lines of the 256 KiB L2, at 1 GHz.
    private static final long FLUSH_NS = 4_596;
    private MaliTestSupport t;

    @BeforeEach
    void setUp() {
        t = MaliTestSupport.open();
    }

    @AfterEach
    void tearDown() {
        t.close();
    }

    @Test
    @DisplayName("/mali/flush/irq")
    void shouldRaiseCleanCachesCompletedAfterTheFlushDelayAndBumpLatestFlushId() {
        t.writel(MaliReg.GPU_IRQ_MASK, GPU_IRQ_CLEAN_CACHES_COMPLETED);
        int cmd = MaliRegs.flushCaches(MaliRegs.CACHE_CLEAN | MaliRegs.CACHE_INV, MaliRegs.CACHE_CLEAN, 0);
        t.writel(MaliReg.GPU_CMD, cmd);
        t.step(FLUSH_NS - 1);
        assertEquals(0, t.readl(MaliReg.GPU_IRQ_RAWSTAT));
        assertEquals(0, t.readl(MaliRegs.CSF_LATEST_FLUSH_ID));
        t.step(1);
        assertEquals(GPU_IRQ_CLEAN_CACHES_COMPLETED, t.readl(MaliReg.GPU_IRQ_STATUS));
        assertEquals(1, t.readl(MaliRegs.CSF_LATEST_FLUSH_ID));
        t.step(1);
        assertTrue(t.line(MaliTestSupport.IRQ_GPU));
        // A second flush bumps again; the id is what the page (userspace's mapping) shows.
        t.writel(MaliReg.GPU_IRQ_CLEAR, GPU_IRQ_CLEAN_CACHES_COMPLETED);
        t.writel(MaliReg.GPU_CMD, cmd);
        t.step(FLUSH_NS);
        assertEquals(2, t.readl(MaliRegs.CSF_LATEST_FLUSH_ID));
        assertEquals(2, t.gpu.region().getIntAcquire(MaliRegs.CSF_LATEST_FLUSH_ID));
        assertEquals(0, t.errors.total());
    }

    @Test
    @DisplayName("/mali/flush/csf-port")
    void shouldLetTheCsfFlushAtOnceAndKeepTheIdMonotonicAcrossReset() {
        GpuControlPort port = t.gpu.ports().gpu();
        t.gpu.region().deviceLock().lock();
        try {
            assertEquals(1, port.flushCachesFromCsf());
            assertEquals(1, port.latestFlushId());
        } finally {
            t.gpu.region().deviceLock().unlock();
        }
        t.writel(MaliReg.GPU_CMD, MaliRegs.GPU_CMD_SOFT_RESET);
        t.step(MaliTimings.SOFT_RESET_NS);
        assertEquals(1, t.readl(MaliRegs.CSF_LATEST_FLUSH_ID));
    }

    @Test
    @DisplayName("/mali/flush/dropped-by-reset")
    void shouldDropAFlushInFlightWhenTheGpuResets() {
        t.writel(MaliReg.GPU_CMD, MaliRegs.flushCaches(MaliRegs.CACHE_CLEAN, 0, 0));
        t.writel(MaliReg.GPU_CMD, MaliRegs.GPU_CMD_SOFT_RESET);
        t.step(FLUSH_NS + MaliTimings.SOFT_RESET_NS);
        assertEquals(MaliRegs.GPU_IRQ_RESET_COMPLETED, t.readl(MaliReg.GPU_IRQ_RAWSTAT));
        assertEquals(0, t.readl(MaliRegs.CSF_LATEST_FLUSH_ID));
    }

    @Test
    @DisplayName("/mali/counters/cycle-count")
    void shouldCountGpuCyclesOnlyWhileTheL2IsPowered() {
        t.step(1_000);
        assertEquals(0, t.read64(MaliReg.CYCLE_COUNT), "L2 off: the counter stands still");
        t.writel(MaliReg.L2_PWRON, 1);
        t.step(MaliTimings.L2_POWER_NS);
        assertEquals(0, t.read64(MaliReg.CYCLE_COUNT));
        t.step(5_000);
        assertEquals(5_000, t.read64(MaliReg.CYCLE_COUNT), "1 GHz: one cycle per ns");
        t.writel(MaliReg.L2_PWROFF, 1);
        t.step(MaliTimings.L2_POWER_NS);
        long frozen = t.read64(MaliReg.CYCLE_COUNT);
        assertEquals(5_000 + MaliTimings.L2_POWER_NS, frozen);
        t.step(1_000_000);
        assertEquals(frozen, t.read64(MaliReg.CYCLE_COUNT));
    }

    @Test
    @DisplayName("/mali/counters/cycle-count-clock")
    void shouldCountCyclesOfTheConfiguredGpuClock() {
        try (MaliTestSupport slow = MaliTestSupport.open(4L << 20, MaliConfig.defaults().withGpuClockHz(500_000_000L),
                NoMcuFrontend::new)) {
            slow.writel(MaliReg.L2_PWRON, 1);
            slow.step(MaliTimings.L2_POWER_NS + 10_000);
            assertEquals(5_000, slow.read64(MaliReg.CYCLE_COUNT));
        }
    }

    @Test
    @DisplayName("/mali/counters/timestamp")
    void shouldAdvanceTimestampAt24MHzPlusOffset() {
        long t0 = t.read64(MaliReg.TIMESTAMP);
        t.step(1_000_000); // 1 ms = 24000 ticks
        long t1 = t.read64(MaliReg.TIMESTAMP);
        assertEquals(24_000, t1 - t0);
        t.writel(MaliReg.TIMESTAMP_OFFSET, 0);
        t.writel(MaliReg.TIMESTAMP_OFFSET.offset() + 4, 1);
        assertEquals(t1 + (1L << 32), t.read64(MaliReg.TIMESTAMP));
        assertEquals(1L << 32, t.read64(MaliReg.TIMESTAMP_OFFSET));
    }
}
