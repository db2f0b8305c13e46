package dev.gpuemu.hw.mali;

import static dev.gpuemu.regs.mali.MaliRegs.GPU_IRQ_POWER_CHANGED_ALL;
import static dev.gpuemu.regs.mali.MaliRegs.GPU_IRQ_POWER_CHANGED_SINGLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.machine.GuestErrors.Kind;
import dev.gpuemu.regs.mali.MaliReg;
import dev.gpuemu.regs.mali.MaliRegs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/// Power domains: a PWRON/PWROFF write sets PWRTRANS for the present cores, and after the
/// modelled delay READY changes, PWRTRANS clears and POWER_CHANGED_SINGLE (plus _ALL when nothing
/// is left in transition) is raised.
class MaliPowerTest {
    private static final long POWER_IRQS = GPU_IRQ_POWER_CHANGED_SINGLE | GPU_IRQ_POWER_CHANGED_ALL;
    private MaliTestSupport t;

    @BeforeEach
    void setUp() {
        t = MaliTestSupport.open();
    }

    @AfterEach
    void tearDown() {
        t.close();
    }

    private long powerIrqs() {
        return t.readl(MaliReg.GPU_IRQ_RAWSTAT) & POWER_IRQS;
    }

    @Test
    @DisplayName("/mali/power/l2-on")
    void shouldShowL2PwrtransThenReadyThenPowerChanged() {
        t.writel(MaliReg.GPU_IRQ_MASK, POWER_IRQS);
        t.writel(MaliReg.L2_PWRON, 1);
        t.writel(MaliReg.L2_PWRON.offset() + 4, 0); // panthor writes the 64-bit mask LO, HI
        assertEquals(1, t.read64(MaliReg.L2_PWRTRANS));
        assertEquals(0, t.read64(MaliReg.L2_READY));
        assertEquals(MaliRegs.GPU_STATUS_PWR_ACTIVE, t.readl(MaliReg.GPU_STATUS) & MaliRegs.GPU_STATUS_PWR_ACTIVE);
        t.step(MaliTimings.L2_POWER_NS - 1);
        assertEquals(1, t.read64(MaliReg.L2_PWRTRANS));
        assertEquals(0, powerIrqs());
        t.step(1);
        assertEquals(0, t.read64(MaliReg.L2_PWRTRANS));
        assertEquals(1, t.read64(MaliReg.L2_READY));
        assertEquals(POWER_IRQS, powerIrqs());
        assertTrue(t.line(MaliTestSupport.IRQ_GPU) || stepAndLine());
        // A second PWRON of a ready core starts nothing.
        t.writel(MaliReg.GPU_IRQ_CLEAR, POWER_IRQS);
        t.writel(MaliReg.L2_PWRON, 1);
        assertEquals(0, t.read64(MaliReg.L2_PWRTRANS));
        t.step(MaliTimings.L2_POWER_NS);
        assertEquals(0, powerIrqs());
        assertEquals(0, t.errors.total());
    }

    private boolean stepAndLine() {
        t.step(1);
        return t.line(MaliTestSupport.IRQ_GPU);
    }

    @Test
    @DisplayName("/mali/power/shader-powers-l2")
    void shouldPowerL2ImplicitlyBeforeShaderCores() {
        t.writel(MaliReg.SHADER_PWRON, 0x50005);
        assertEquals(0x50005, t.read64(MaliReg.SHADER_PWRTRANS));
        assertEquals(1, t.read64(MaliReg.L2_PWRTRANS), "the L2 comes up first");
        t.step(MaliTimings.L2_POWER_NS);
        assertEquals(1, t.read64(MaliReg.L2_READY));
        assertEquals(0, t.read64(MaliReg.SHADER_READY), "cores wait for the L2");
        assertEquals(GPU_IRQ_POWER_CHANGED_SINGLE, powerIrqs(), "one domain changed, one still moving");
        t.step(MaliTimings.CORE_POWER_NS);
        assertEquals(0x50005, t.read64(MaliReg.SHADER_READY));
        assertEquals(0, t.read64(MaliReg.SHADER_PWRTRANS));
        assertEquals(POWER_IRQS, powerIrqs());
        assertEquals(0, t.errors.total());
    }

    @Test
    @DisplayName("/mali/power/shader-after-l2")
    void shouldPowerShaderCoresInCorePowerTimeWhenL2IsUp() {
        t.writel(MaliReg.L2_PWRON, 1);
        t.step(MaliTimings.L2_POWER_NS);
        t.writel(MaliReg.TILER_PWRON, 1);
        t.writel(MaliReg.SHADER_PWRON, 0x5);
        t.step(MaliTimings.CORE_POWER_NS);
        assertEquals(0x5, t.read64(MaliReg.SHADER_READY));
        assertEquals(1, t.read64(MaliReg.TILER_READY));
        // More cores later: only the new ones transition.
        t.writel(MaliReg.SHADER_PWRON, 0x50005);
        assertEquals(0x50000, t.read64(MaliReg.SHADER_PWRTRANS));
        t.step(MaliTimings.CORE_POWER_NS);
        assertEquals(0x50005, t.read64(MaliReg.SHADER_READY));
    }

    @Test
    @DisplayName("/mali/power/absent-cores")
    void shouldIgnoreAndCountRequestsForCoresNotPresent() {
        t.writel(MaliReg.L2_PWRON, 1);
        t.step(MaliTimings.L2_POWER_NS);
        t.writel(MaliReg.SHADER_PWRON, 0xF0001);
        assertEquals(1, t.count(Kind.DEVICE));
        assertEquals(0x50001, t.read64(MaliReg.SHADER_PWRTRANS));
        t.writel(MaliReg.SHADER_PWRON.offset() + 4, 1); // core 32 does not exist either
        assertEquals(2, t.count(Kind.DEVICE));
        t.step(MaliTimings.CORE_POWER_NS);
        assertEquals(0x50001, t.read64(MaliReg.SHADER_READY));
    }

    @Test
    @DisplayName("/mali/power/off")
    void shouldPowerOffSymmetricallyAndRefuseL2OffWhileCoresAreOn() {
        t.writel(MaliReg.SHADER_PWRON, 0x50005);
        t.step(MaliTimings.L2_POWER_NS + MaliTimings.CORE_POWER_NS);
        t.writel(MaliReg.GPU_IRQ_CLEAR, POWER_IRQS);
        // The L2 cannot go down under powered cores.
        t.writel(MaliReg.L2_PWROFF, 1);
        assertEquals(1, t.count(Kind.DEVICE));
        assertEquals(0, t.read64(MaliReg.L2_PWRTRANS));
        // Cores off: PWRTRANS, then READY clears.
        t.writel(MaliReg.SHADER_PWROFF, 0x50005);
        assertEquals(0x50005, t.read64(MaliReg.SHADER_PWRTRANS));
        assertEquals(0x50005, t.read64(MaliReg.SHADER_READY));
        t.writel(MaliReg.L2_PWROFF, 1); // allowed now that no core is on or rising
        assertEquals(1, t.read64(MaliReg.L2_PWRTRANS));
        t.step(MaliTimings.CORE_POWER_NS);
        assertEquals(0, t.read64(MaliReg.SHADER_READY));
        assertEquals(GPU_IRQ_POWER_CHANGED_SINGLE, powerIrqs());
        t.step(MaliTimings.L2_POWER_NS - MaliTimings.CORE_POWER_NS);
        assertEquals(0, t.read64(MaliReg.L2_READY));
        assertEquals(POWER_IRQS, powerIrqs());
        assertEquals(0, t.readl(MaliReg.GPU_STATUS) & MaliRegs.GPU_STATUS_PWR_ACTIVE);
        assertEquals(1, t.count(Kind.DEVICE));
    }

    @Test
    @DisplayName("/mali/power/turn-round")
    void shouldLetALaterOppositeRequestWinForACoreInTransition() {
        t.writel(MaliReg.L2_PWRON, 1);
        t.step(MaliTimings.L2_POWER_NS / 2);
        t.writel(MaliReg.L2_PWROFF, 1);
        t.step(MaliTimings.L2_POWER_NS / 2);
        // The power-on batch completed nothing: the core is now heading down.
        assertEquals(0, t.read64(MaliReg.L2_READY));
        assertEquals(1, t.read64(MaliReg.L2_PWRTRANS));
        t.step(MaliTimings.L2_POWER_NS / 2);
        assertEquals(0, t.read64(MaliReg.L2_READY));
        assertEquals(0, t.read64(MaliReg.L2_PWRTRANS));
    }
}
