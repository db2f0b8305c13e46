package dev.gpuemu.hw.edu;

import static dev.gpuemu.machine.GuestErrors.Kind.DMA_MASK_VIOLATION;
import static dev.gpuemu.machine.GuestErrors.Kind.DMA_OUT_OF_RANGE;
import static dev.gpuemu.machine.GuestErrors.Kind.DMA_WITHOUT_BUS_MASTER;
import static dev.gpuemu.regs.edu.EduReg.DMA_CMD;
import static dev.gpuemu.regs.edu.EduReg.DMA_COUNT;
import static dev.gpuemu.regs.edu.EduReg.DMA_DST;
import static dev.gpuemu.regs.edu.EduReg.DMA_SRC;
import static dev.gpuemu.regs.edu.EduReg.IRQ_ACK;
import static dev.gpuemu.regs.edu.EduReg.IRQ_STATUS;
import static dev.gpuemu.regs.edu.EduRegs.DMA_BUFFER;
import static dev.gpuemu.regs.edu.EduRegs.IRQ_DMA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.machine.mem.PageRun;
import dev.gpuemu.machine.pci.PciConfigSpace;
import dev.gpuemu.regs.edu.EduRegs;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/// The edu DMA engine from the datasheet (docs/devices/edu.md, "DMA" and "Timing"): both
/// directions through system memory, `64 + count / 4` cycles, START clearing, the completion
/// IRQ, and every refusal (device range, DMA mask, RAM range, bus mastering).
class EduDmaTest {
    private static final long START = 0x1;
    private static final long TO_RAM = 0x2;
    private static final long IRQ = 0x4;

    private EduTestSupport edu;

    @AfterEach
    void tearDown() {
        if (edu != null) {
            edu.close();
        }
    }

    /// One page of RAM, filled with `fill`, returned as its direct-map view.
    private MemorySegment page(PageRun run, int fill) {
        MemorySegment ram = edu.memory.direct(run.physAddr(), run.bytes());
        ram.fill((byte) fill);
        return ram;
    }

    private void program(long src, long dst, long count, long cmd) {
        edu.writeq(DMA_SRC.offset(), src);
        edu.writeq(DMA_DST.offset(), dst);
        edu.writeq(DMA_COUNT.offset(), count);
        edu.writeq(DMA_CMD.offset(), cmd);
    }

    private static long cycles(long count) {
        return EduDevice.DMA_SETUP_CYCLES + count / EduDevice.DMA_BYTES_PER_CYCLE;
    }

    @Test
    @DisplayName("/edu/dma/ram-to-device")
    void shouldCopyRamToBufferAfterSetupPlusFourBytesPerCycleAndRaiseDmaIrq() {
        edu = EduTestSupport.open();
        PageRun run = edu.memory.allocContiguous(1, "edu test");
        assertNotNull(run);
        MemorySegment ram = page(run, 0);
        for (int i = 0; i < 256; i++) {
            ram.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 7 + 1));
        }
        // Program 256 bytes RAM -> buffer with a completion IRQ.
        program(run.physAddr(), DMA_BUFFER, 256, START | IRQ);
        // It takes 64 + 256 / 4 = 128 cycles; at 127 START is still set and the buffer untouched.
        edu.stepCycles(cycles(256) - 1);
        assertEquals(START | IRQ, edu.readq(DMA_CMD.offset()));
        assertEquals(0, edu.readq(DMA_BUFFER));
        assertFalse(edu.irqLevel());
        // At 128 START clears, the bytes are in the buffer, IRQ_STATUS 0x100 is set and INTx high.
        edu.stepCycles(1);
        assertEquals(IRQ, edu.readq(DMA_CMD.offset()));
        for (int i = 0; i < 256; i += 4) {
            assertEquals(ram.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), i)
                    & 0xFFFF_FFFFL, edu.readl(DMA_BUFFER + i), "buffer dword " + i);
        }
        assertEquals(0, edu.readl(DMA_BUFFER + 256), "nothing beyond count copied");
        assertEquals(IRQ_DMA, edu.readl(IRQ_STATUS.offset()));
        assertTrue(edu.irqLevel());
        // IRQ_ACK 0x100 lowers the line.
        edu.writel(IRQ_ACK.offset(), IRQ_DMA);
        assertFalse(edu.irqLevel());
        assertEquals(0, edu.errors.total());
        edu.memory.free(run);
    }

    @Test
    @DisplayName("/edu/dma/device-to-ram")
    void shouldCopyBufferToRamWithoutIrqWhenNotRequested() {
        edu = EduTestSupport.open();
        PageRun run = edu.memory.allocContiguous(1, "edu test");
        MemorySegment ram = page(run, 0xAA);
        // Fill 64 bytes of the buffer at offset 0x800 through BAR0.
        for (int i = 0; i < 64; i += 8) {
            edu.writeq(DMA_BUFFER + 0x800 + i, 0x0101_0101_0101_0101L * (i + 1));
        }
        // Program buffer + 0x800 -> RAM + 0x100, 64 bytes, no IRQ: 64 + 16 = 80 cycles.
        program(DMA_BUFFER + 0x800, run.physAddr() + 0x100, 64, START | TO_RAM);
        edu.stepCycles(cycles(64) - 1);
        assertEquals((byte) 0xAA, ram.get(ValueLayout.JAVA_BYTE, 0x100), "RAM untouched before completion");
        edu.stepCycles(1);
        // START clears, RAM holds the buffer bytes, neighbours are untouched, no IRQ.
        assertEquals(TO_RAM, edu.readq(DMA_CMD.offset()));
        for (int i = 0; i < 64; i++) {
            assertEquals((byte) ((i & ~7) + 1), ram.get(ValueLayout.JAVA_BYTE, 0x100 + i), "RAM byte " + i);
        }
        assertEquals((byte) 0xAA, ram.get(ValueLayout.JAVA_BYTE, 0xFF));
        assertEquals((byte) 0xAA, ram.get(ValueLayout.JAVA_BYTE, 0x140));
        assertEquals(0, edu.readl(IRQ_STATUS.offset()));
        assertFalse(edu.irqLevel());
        edu.memory.free(run);
    }

    @Test
    @DisplayName("/edu/dma/busy")
    void shouldIgnoreDmaCommandWhileTransferInFlight() {
        edu = EduTestSupport.open();
        PageRun run = edu.memory.allocContiguous(1, "edu test");
        MemorySegment ram = page(run, 0x11);
        // Start RAM -> buffer (4 bytes, 65 cycles).
        program(run.physAddr(), DMA_BUFFER, 4, START);
        // A second command (buffer -> RAM with IRQ) while busy is ignored.
        edu.writeq(DMA_CMD.offset(), START | TO_RAM | IRQ);
        assertEquals(START, edu.readq(DMA_CMD.offset()));
        edu.stepCycles(cycles(4));
        assertEquals(0, edu.readq(DMA_CMD.offset()));
        assertEquals(0x1111_1111L, edu.readl(DMA_BUFFER));
        edu.stepCycles(1000);
        assertEquals(0, edu.readl(IRQ_STATUS.offset()));
        assertEquals((byte) 0x11, ram.get(ValueLayout.JAVA_BYTE, 0));
        edu.memory.free(run);
    }

    @Test
    @DisplayName("/edu/dma/device-range")
    void shouldRefuseDeviceRangeOutsideBufferButStillCompleteAndInterrupt() {
        edu = EduTestSupport.open();
        PageRun run = edu.memory.allocContiguous(1, "edu test");
        MemorySegment ram = page(run, 0x5A);
        // RAM -> buffer + 0xf00, 0x200 bytes: runs past 0x40fff.
        program(run.physAddr(), DMA_BUFFER + 0xF00, 0x200, START | IRQ);
        edu.stepCycles(cycles(0x200));
        // DMA_OUT_OF_RANGE counted, nothing copied, START cleared, IRQ still raised.
        assertEquals(1, edu.count(DMA_OUT_OF_RANGE));
        assertEquals(0, edu.readl(DMA_BUFFER + 0xF00));
        assertEquals(IRQ, edu.readq(DMA_CMD.offset()));
        assertEquals(IRQ_DMA, edu.readl(IRQ_STATUS.offset()));
        edu.writel(IRQ_ACK.offset(), IRQ_DMA);
        // Buffer -> RAM from below the window (0x3ff00): refused, RAM keeps its bytes.
        program(DMA_BUFFER - 0x100, run.physAddr(), 16, START | TO_RAM);
        edu.stepCycles(cycles(16));
        assertEquals(2, edu.count(DMA_OUT_OF_RANGE));
        assertEquals((byte) 0x5A, ram.get(ValueLayout.JAVA_BYTE, 0));
        assertEquals(TO_RAM, edu.readq(DMA_CMD.offset()));
        edu.memory.free(run);
    }

    @Test
    @DisplayName("/edu/dma/ram-outside-memory")
    void shouldRefuseRamAddressBelowMaskButOutsideMemory() {
        edu = EduTestSupport.open();
        // 8 MiB is below the 28-bit mask but past the 2 MiB of RAM: the DMA port refuses it.
        program(8L << 20, DMA_BUFFER, 16, START);
        edu.stepCycles(cycles(16));
        assertEquals(1, edu.count(DMA_OUT_OF_RANGE));
        assertEquals(0, edu.count(DMA_MASK_VIOLATION));
        assertEquals(0, edu.readq(DMA_CMD.offset()));
    }

    @Test
    @DisplayName("/edu/dma/mask")
    void shouldRefuseRamAddressAboveTwentyEightBitMask() {
        // RAM reaching 1 MiB past 2^28, so 0x1000_0000 is real memory the device cannot address.
        edu = EduTestSupport.open((1L << 28) + (1L << 20),
                PciConfigSpace.COMMAND_MEMORY | PciConfigSpace.COMMAND_BUS_MASTER);
        MemorySegment high = edu.memory.direct(1L << 28, 16);
        high.fill((byte) 0x77);
        // RAM at 0x1000_0000 -> buffer: DMA_MASK_VIOLATION, nothing copied.
        program(1L << 28, DMA_BUFFER, 16, START);
        edu.stepCycles(cycles(16));
        assertEquals(1, edu.count(DMA_MASK_VIOLATION));
        assertEquals(0, edu.count(DMA_OUT_OF_RANGE));
        assertEquals(0, edu.readl(DMA_BUFFER));
        // Buffer -> RAM ending one byte above the mask is refused too, RAM unchanged.
        edu.writel(DMA_BUFFER, 0x1234_5678L);
        program(DMA_BUFFER, (1L << 28) - 8, 16, START | TO_RAM);
        edu.stepCycles(cycles(16));
        assertEquals(2, edu.count(DMA_MASK_VIOLATION));
        assertEquals((byte) 0x77, high.get(ValueLayout.JAVA_BYTE, 0));
        assertEquals(0, edu.memory.direct((1L << 28) - 8, 8).get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
    }

    @Test
    @DisplayName("/edu/dma/bus-master-off")
    void shouldRefuseDmaWithBusMasteringDisabled() {
        edu = EduTestSupport.open(2L << 20, PciConfigSpace.COMMAND_MEMORY);
        PageRun run = edu.memory.allocContiguous(1, "edu test");
        page(run, 0x33);
        // COMMAND.BUS_MASTER clear: the transfer is refused and counted, START still clears.
        program(run.physAddr(), DMA_BUFFER, 16, START | IRQ);
        edu.stepCycles(cycles(16));
        assertEquals(1, edu.count(DMA_WITHOUT_BUS_MASTER));
        assertEquals(0, edu.readl(DMA_BUFFER));
        assertEquals(IRQ, edu.readq(DMA_CMD.offset()));
        assertEquals(IRQ_DMA, edu.readl(IRQ_STATUS.offset()));
        edu.writel(IRQ_ACK.offset(), IRQ_DMA);
        // Setting BUS_MASTER and retrying succeeds.
        edu.pci.configWrite(EduTestSupport.BDF, PciConfigSpace.COMMAND, dev.gpuemu.machine.bus.AccessSize.WORD,
                PciConfigSpace.COMMAND_MEMORY | PciConfigSpace.COMMAND_BUS_MASTER);
        edu.writeq(DMA_CMD.offset(), START);
        edu.stepCycles(cycles(16));
        assertEquals(0x3333_3333L, edu.readl(DMA_BUFFER));
        assertEquals(1, edu.count(DMA_WITHOUT_BUS_MASTER));
        edu.memory.free(run);
    }

    @Test
    @DisplayName("/edu/dma/device-address-wrap")
    void shouldRefuseDeviceRangeWhoseEndWrapsPastLongMax() {
        edu = EduTestSupport.open();
        PageRun run = edu.memory.allocContiguous(1, "edu test");
        page(run, 0x42);
        // A device address near 2^63 whose end wraps negative is still outside the buffer.
        program(run.physAddr(), 0x7FFF_FFFF_FFFF_FFF0L, 0x20, START | IRQ);
        edu.stepCycles(cycles(0x20));
        assertEquals(1, edu.count(DMA_OUT_OF_RANGE));
        assertEquals(IRQ, edu.readq(DMA_CMD.offset()), "START clears");
        assertEquals(IRQ_DMA, edu.readl(IRQ_STATUS.offset()));
        assertTrue(edu.clock.failures().isEmpty(), () -> edu.clock.failures().toString());
        edu.memory.free(run);
    }

    @Test
    @DisplayName("/edu/dma/huge-count")
    void shouldCountHugeDmaCountAsGuestErrorInsteadOfThrowing() {
        edu = EduTestSupport.open();
        // A count of 2^62 bytes: the MMIO write that starts it must not throw back at the guest.
        program(DMA_BUFFER, 0, 1L << 62, START | TO_RAM | IRQ);
        // The transfer is refused (larger than the buffer) and completes within the time a
        // full-buffer transfer takes: START clears, the IRQ fires.
        edu.stepCycles(cycles(EduRegs.DMA_BUFFER_SIZE));
        assertEquals(1, edu.count(DMA_OUT_OF_RANGE));
        assertEquals(TO_RAM | IRQ, edu.readq(DMA_CMD.offset()));
        assertEquals(IRQ_DMA, edu.readl(IRQ_STATUS.offset()));
        assertTrue(edu.clock.failures().isEmpty(), () -> edu.clock.failures().toString());
    }
}
