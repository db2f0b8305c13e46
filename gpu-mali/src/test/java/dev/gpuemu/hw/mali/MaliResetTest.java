package dev.gpuemu.hw.mali;

import static dev.gpuemu.regs.mali.MaliRegs.GPU_IRQ_RESET_COMPLETED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.machine.GuestErrors.Kind;
import dev.gpuemu.regs.mali.MaliReg;
import dev.gpuemu.regs.mali.MaliRegs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/// GPU_CMD SOFT_RESET and HARD_RESET, walked through as Tyr and panthor drive them.
class MaliResetTest {
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
    @DisplayName("/mali/reset/soft")
    void shouldRaiseResetCompletedAfterSoftResetDelayAndNotBefore() {
        t.writel(MaliReg.GPU_CMD, MaliRegs.GPU_CMD_SOFT_RESET);
        // Just before the modelled 20 µs: bit 8 is not yet in RAWSTAT.
        t.step(MaliTimings.SOFT_RESET_NS - 1);
        assertEquals(0, t.readl(MaliReg.GPU_IRQ_RAWSTAT) & GPU_IRQ_RESET_COMPLETED);
        t.step(1);
        assertEquals(GPU_IRQ_RESET_COMPLETED, t.readl(MaliReg.GPU_IRQ_RAWSTAT) & GPU_IRQ_RESET_COMPLETED);
    }

    @Test
    @DisplayName("/mali/reset/tyr-probe")
    void shouldStillShowResetCompletedAfterTyrsHundredMillisecondSleepAndPowerL2() {
        // Tyr: GPU_CMD = SOFT_RESET, sleep 100 ms, require RAWSTAT bit 8 (never cleared before).
        t.writel(MaliReg.GPU_CMD, MaliRegs.GPU_CMD_SOFT_RESET);
        t.step(100_000_000L);
        assertTrue((t.readl(MaliReg.GPU_IRQ_RAWSTAT) & GPU_IRQ_RESET_COMPLETED) != 0);
        // Then L2_PWRON_LO = 1, sleep 100 ms, require L2_READY_LO == 1 exactly.
        t.writel(MaliReg.L2_PWRON, 1);
        t.step(100_000_000L);
        assertEquals(1, t.readl(MaliReg.L2_READY));
        assertEquals(0, t.errors.total());
    }

    @Test
    @DisplayName("/mali/reset/hard")
    void shouldTakeLongerForHardResetThanSoftReset() {
        t.writel(MaliReg.GPU_CMD, MaliRegs.GPU_CMD_HARD_RESET);
        t.step(MaliTimings.SOFT_RESET_NS);
        assertEquals(0, t.readl(MaliReg.GPU_IRQ_RAWSTAT) & GPU_IRQ_RESET_COMPLETED);
        t.step(MaliTimings.HARD_RESET_NS - MaliTimings.SOFT_RESET_NS);
        assertEquals(GPU_IRQ_RESET_COMPLETED, t.readl(MaliReg.GPU_IRQ_RAWSTAT) & GPU_IRQ_RESET_COMPLETED);
    }

    @Test
    @DisplayName("/mali/reset/writes-ignored")
    void shouldIgnoreAndCountRegisterWritesDuringReset() {
        t.writel(MaliReg.GPU_CMD, MaliRegs.GPU_CMD_SOFT_RESET);
        t.writel(MaliReg.GPU_IRQ_MASK, 0xFFFF_FFFFL);
        t.writel(MaliReg.L2_PWRON, 1);
        assertEquals(2, t.count(Kind.DEVICE));
        // Reads still answer during reset.
        assertEquals(MaliRegs.G610_GPU_ID, t.readl(MaliReg.GPU_ID));
        t.step(MaliTimings.SOFT_RESET_NS);
        assertEquals(0, t.readl(MaliReg.GPU_IRQ_MASK));
        assertEquals(0, t.readl(MaliReg.L2_PWRTRANS));
        assertEquals(0, t.readl(MaliReg.L2_READY));
    }

    @Test
    @DisplayName("/mali/reset/state")
    void shouldReturnPowerTimestampOffsetAndCoherencyToResetStateButKeepIrqMask() {
        t.writel(MaliReg.GPU_IRQ_MASK, GPU_IRQ_RESET_COMPLETED);
        t.writel(MaliReg.L2_PWRON, 1);
        t.writel(MaliReg.COHERENCY_PROTOCOL, MaliRegs.COHERENCY_ACE_LITE);
        t.writel(MaliReg.TIMESTAMP_OFFSET.offset(), 1234);
        t.step(1_000_000);
        assertEquals(1, t.readl(MaliReg.L2_READY));
        // panthor: CLEAR = RESET_COMPLETED, then GPU_CMD = SOFT_RESET, then waits for the interrupt.
        t.writel(MaliReg.GPU_IRQ_CLEAR, 0xFFFF_FFFFL);
        t.writel(MaliReg.GPU_CMD, MaliRegs.GPU_CMD_SOFT_RESET);
        assertEquals(0, t.readl(MaliReg.L2_READY));
        assertFalse(t.line(MaliTestSupport.IRQ_GPU));
        t.step(MaliTimings.SOFT_RESET_NS);
        assertTrue(t.line(MaliTestSupport.IRQ_GPU), "the mask survives the reset, so the line rises");
        assertEquals(GPU_IRQ_RESET_COMPLETED, t.readl(MaliReg.GPU_IRQ_STATUS));
        assertEquals(MaliReg.COHERENCY_PROTOCOL.resetValue(), t.readl(MaliReg.COHERENCY_PROTOCOL));
        assertEquals(0, t.readl(MaliReg.TIMESTAMP_OFFSET.offset()));
        assertEquals(0, t.readl(MaliReg.GPU_STATUS) & MaliRegs.GPU_STATUS_PWR_ACTIVE);
    }

    @Test
    @DisplayName("/mali/reset/twice")
    void shouldCountASecondResetCommandWhileResetting() {
        t.writel(MaliReg.GPU_CMD, MaliRegs.GPU_CMD_SOFT_RESET);
        t.writel(MaliReg.GPU_CMD, MaliRegs.GPU_CMD_HARD_RESET);
        assertEquals(1, t.count(Kind.DEVICE));
        t.step(MaliTimings.SOFT_RESET_NS);
        assertTrue(t.gpu.state().gpuIrqRawstat() != 0);
        assertFalse(t.gpu.state().resetting());
    }
}
