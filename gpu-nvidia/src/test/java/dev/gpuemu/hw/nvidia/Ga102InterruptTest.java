package dev.gpuemu.hw.nvidia;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.machine.GuestErrors.Kind;
import dev.gpuemu.machine.bus.AccessSize;
import dev.gpuemu.machine.pci.PciConfigSpace;
import dev.gpuemu.regs.nvidia.NvBar0Map;
import dev.gpuemu.regs.nvidia.NvReg;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/// The interrupt tree (leaves, enables, W1C, INTx level) and the host plug-in paths (doorbell,
/// channel window, PMC_ENABLE reset).
class Ga102InterruptTest {
    private NvTestSupport nv;
    private NvInterruptPort intr;

    @BeforeEach
    void setUp() {
        nv = NvTestSupport.open();
        intr = nv.gpu.ports().intr();
    }

    @AfterEach
    void tearDown() {
        nv.close();
    }

    private void raise(Runnable r) {
        nv.gpu.ports().deviceLock().lock();
        try {
            r.run();
        } finally {
            nv.gpu.ports().deviceLock().unlock();
        }
    }

    @Test
    void shouldAssertIntxOnlyWhileAPendingLeafBitIsEnabledAtBothLevels() {
        raise(() -> intr.raiseStall(33));
        assertEquals(2, nv.readl(NvReg.NV_PMC_INTR_STALL_LEAF.offset(1)));
        assertEquals(0, nv.readl(NvReg.NV_PMC_INTR_0), "leaf not enabled");
        assertFalse(nv.irqLevel());
        nv.writel(NvReg.NV_PMC_INTR_STALL_LEAF_EN.offset(1), 2);
        assertEquals(1, nv.readl(NvReg.NV_PMC_INTR_0));
        assertFalse(nv.irqLevel(), "top level not enabled");
        nv.writel(NvReg.NV_PMC_INTR_EN_0, 3);
        assertTrue(nv.irqLevel());
        nv.writel(NvReg.NV_PMC_INTR_STALL_LEAF.offset(1), 1); // W1C of another bit: no effect
        assertTrue(nv.irqLevel());
        nv.writel(NvReg.NV_PMC_INTR_STALL_LEAF.offset(1), 2);
        assertFalse(nv.irqLevel());
        assertEquals(0, nv.readl(NvReg.NV_PMC_INTR_0));
    }

    @Test
    void shouldSummariseNonStallSeparately() {
        nv.writel(NvReg.NV_PMC_INTR_EN_0, 2);
        nv.writel(NvReg.NV_PMC_INTR_NONSTALL_LEAF_EN.offset(0), 0xFFFF_FFFFL);
        raise(() -> intr.raiseNonStall(0));
        raise(() -> intr.raiseStall(0));
        assertEquals(2, nv.readl(NvReg.NV_PMC_INTR_0));
        assertTrue(nv.irqLevel());
        assertEquals(1, nv.gpu.state().nonStallPending());
        assertEquals(1, nv.gpu.state().stallPending());
        nv.writel(NvReg.NV_PMC_INTR_NONSTALL_LEAF.offset(0), 1);
        assertFalse(nv.irqLevel());
    }

    @Test
    void shouldNotAssertIntxWhenTheCommandRegisterDisablesIt() {
        nv.pci.configWrite(NvTestSupport.BDF, PciConfigSpace.COMMAND, AccessSize.WORD,
                PciConfigSpace.COMMAND_MEMORY | PciConfigSpace.COMMAND_INTX_DISABLE);
        nv.writel(NvReg.NV_PMC_INTR_EN_0, 3);
        nv.writel(NvReg.NV_PMC_INTR_STALL_LEAF_EN.offset(0), 1);
        raise(() -> intr.raiseStall(0));
        assertEquals(1, nv.readl(NvReg.NV_PMC_INTR_0));
        assertFalse(nv.irqLevel());
    }

    @Test
    void shouldRefuseChannelsOutsideTheLeaves() {
        assertThrows(IllegalArgumentException.class, () -> raise(() -> intr.raiseStall(64)));
        assertThrows(IllegalArgumentException.class, () -> raise(() -> intr.raiseNonStall(-1)));
    }

    @Test
    void shouldForwardDoorbellsAndTheChannelWindowAndResetTheHostWhenPfifoIsDisabled() {
        NoHost host = (NoHost) nv.gpu.host();
        nv.writel(NvBar0Map.USERMODE_BASE + NvBar0Map.USERMODE_NOTIFY_CHANNEL_PENDING, 5);
        nv.writel(NvBar0Map.HOST_WINDOW_BASE + 0x10, 1);
        assertEquals(0, nv.readl(NvBar0Map.HOST_WINDOW_BASE + 0x10));
        assertEquals(1, host.doorbells());
        assertEquals(1, host.writes());
        nv.writel(NvReg.NV_PMC_ENABLE, 0);
        assertEquals(1, host.resets());
        nv.writel(NvBar0Map.USERMODE_BASE + NvBar0Map.USERMODE_NOTIFY_CHANNEL_PENDING, 5);
        assertEquals(1, host.doorbells(), "dropped while PFIFO is disabled");
        nv.writel(NvReg.NV_PMC_ENABLE, 0x100);
        nv.writel(NvReg.NV_PMC_ENABLE, 0x100);
        assertEquals(1, host.resets(), "only the falling edge resets");
        assertEquals(3, nv.count(Kind.DEVICE)); // NoHost: doorbell, write; the top: the doorbell while disabled
    }
}
