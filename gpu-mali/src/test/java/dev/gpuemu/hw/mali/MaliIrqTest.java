package dev.gpuemu.hw.mali;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.regs.mali.MaliReg;
import dev.gpuemu.regs.mali.MaliRegs;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/// The three interrupt blocks: RAWSTAT latches (software may set bits by writing it), CLEAR is
/// write-1-to-clear, STATUS = RAWSTAT & MASK, and the block's line is high exactly while
/// STATUS != 0. Each block drives its own device-tree line (job, mmu, gpu).
class MaliIrqTest {
    private MaliTestSupport t;

    @BeforeEach
    void setUp() {
        t = MaliTestSupport.open();
    }

    @AfterEach
    void tearDown() {
        t.close();
    }

    static Stream<Arguments> blocks() {
        return Stream.of(
                Arguments.of("gpu", MaliReg.GPU_IRQ_RAWSTAT, MaliTestSupport.IRQ_GPU),
                Arguments.of("job", MaliReg.JOB_IRQ_RAWSTAT, MaliTestSupport.IRQ_JOB),
                Arguments.of("mmu", MaliReg.MMU_IRQ_RAWSTAT, MaliTestSupport.IRQ_MMU));
    }

    @ParameterizedTest(name = "/mali/irq/{0}")
    @MethodSource("blocks")
    void shouldLatchClearByWriteOneMaskAndDriveTheLineWhileStatusIsNonZero(String name, MaliReg rawstat, int line) {
        long clear = rawstat.offset() + 4;
        long mask = rawstat.offset() + 8;
        long status = rawstat.offset() + 12;
        // Software-raised bits latch in RAWSTAT; with MASK 0 STATUS stays 0 and the line low.
        t.writel(rawstat, 0x0000_0301L);
        assertEquals(0x301, t.readl(rawstat));
        assertEquals(0, t.readl(status));
        t.step(1);
        assertFalse(t.line(line));
        // MASK selects: STATUS = RAWSTAT & MASK, the line rises.
        t.writel(mask, 0x0000_0101L);
        assertEquals(0x101, t.readl(mask));
        assertEquals(0x101, t.readl(status));
        t.step(1);
        assertTrue(t.line(line));
        // CLEAR is write-1-to-clear: bits written as 0 stay.
        t.writel(clear, 0x0000_0001L);
        assertEquals(0x300, t.readl(rawstat));
        assertEquals(0x100, t.readl(status));
        assertEquals(0, t.readl(clear), "CLEAR reads 0");
        t.step(1);
        assertTrue(t.line(line));
        // Masking the last pending bit drops the line although RAWSTAT still holds it.
        t.writel(mask, 0);
        t.step(1);
        assertFalse(t.line(line));
        assertEquals(0x300, t.readl(rawstat));
        // Unmask and clear: line goes low by the clear.
        t.writel(mask, 0xFFFF_FFFFL);
        t.step(1);
        assertTrue(t.line(line));
        t.writel(clear, 0xFFFF_FFFFL);
        t.step(1);
        assertFalse(t.line(line));
        assertEquals(0, t.readl(rawstat));
        // STATUS is read-only.
        t.writel(status, 1);
        assertEquals(0, t.readl(status));
        assertEquals(1, t.errors.total());
    }

    @ParameterizedTest(name = "/mali/irq/{0}/isolation")
    @MethodSource("blocks")
    void shouldNotRaiseTheOtherBlocksLines(String name, MaliReg rawstat, int line) {
        t.writel(rawstat.offset() + 8, 0xFFFF_FFFFL);
        t.writel(rawstat, MaliRegs.GPU_IRQ_FAULT);
        t.step(1);
        for (int other : new int[] {MaliTestSupport.IRQ_GPU, MaliTestSupport.IRQ_JOB, MaliTestSupport.IRQ_MMU}) {
            assertEquals(other == line, t.line(other), "line " + other);
        }
    }
}
