package dev.gpuemu.hw.edu;

import static dev.gpuemu.machine.GuestErrors.Kind.DEVICE;
import static dev.gpuemu.machine.GuestErrors.Kind.INVALID_ACCESS_SIZE;
import static dev.gpuemu.machine.GuestErrors.Kind.READ_ONLY_WRITE;
import static dev.gpuemu.machine.GuestErrors.Kind.UNASSIGNED_ACCESS;
import static dev.gpuemu.regs.edu.EduReg.FACTORIAL;
import static dev.gpuemu.regs.edu.EduReg.ID;
import static dev.gpuemu.regs.edu.EduReg.IRQ_ACK;
import static dev.gpuemu.regs.edu.EduReg.IRQ_RAISE;
import static dev.gpuemu.regs.edu.EduReg.IRQ_STATUS;
import static dev.gpuemu.regs.edu.EduReg.LIVENESS;
import static dev.gpuemu.regs.edu.EduReg.STATUS;
import static dev.gpuemu.regs.edu.EduRegs.IRQ_FACTORIAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.machine.bus.AccessSize;
import dev.gpuemu.machine.pci.PciConfigSpace;
import dev.gpuemu.regs.edu.EduRegs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/// The edu datasheet (docs/devices/edu.md), walked through register by register as QEMU's
/// `tests/qtest/edu-test` would: PCI identity, ID and liveness, the factorial unit, the interrupt
/// raise/acknowledge pair, and bad accesses. DMA has its own class, [EduDmaTest].
class EduDeviceTest {
    private static final long STATUS_COMPUTING = 0x01;
    private static final long STATUS_IRQ_ON_FACTORIAL = 0x80;

    private EduTestSupport edu;

    @BeforeEach
    void setUp() {
        edu = EduTestSupport.open();
    }

    @AfterEach
    void tearDown() {
        edu.close();
    }

    @Test
    @DisplayName("/edu/pci/identity")
    void shouldPresentDatasheetPciIdentityAndOneMebibyteBar0() {
        // Vendor:device 1234:11e8, revision 0x10, class 0x00ff00, pin INTA#.
        assertEquals(0x1234, edu.pci.configRead(EduTestSupport.BDF, PciConfigSpace.VENDOR_ID, AccessSize.WORD));
        assertEquals(0x11e8, edu.pci.configRead(EduTestSupport.BDF, PciConfigSpace.DEVICE_ID, AccessSize.WORD));
        assertEquals(0x10, edu.pci.configRead(EduTestSupport.BDF, PciConfigSpace.REVISION_ID, AccessSize.BYTE));
        assertEquals(0x00ff00L, edu.pci.configRead(EduTestSupport.BDF, PciConfigSpace.REVISION_ID, AccessSize.DWORD) >>> 8);
        assertEquals(1, edu.pci.configRead(EduTestSupport.BDF, PciConfigSpace.INTERRUPT_PIN, AccessSize.BYTE));
        // The board swizzle routes device 4's INTA# to line 16 + (4 + 1 - 1) mod 4 = 16.
        assertEquals(16, edu.irqLine());
        // BAR sizing with decoding off: all ones reads back ~(1 MiB - 1), 32-bit non-prefetchable memory.
        edu.pci.configWrite(EduTestSupport.BDF, PciConfigSpace.COMMAND, AccessSize.WORD, 0);
        edu.pci.configWrite(EduTestSupport.BDF, PciConfigSpace.BAR0, AccessSize.DWORD, 0xFFFF_FFFFL);
        assertEquals(0xFFF0_0000L, edu.pci.configRead(EduTestSupport.BDF, PciConfigSpace.BAR0, AccessSize.DWORD));
    }

    @Test
    @DisplayName("/edu/id")
    void shouldReadIdAndDropWritesToIt() {
        // ID reads 0xRRrr00ed: major 1, minor 0.
        assertEquals(0x010000edL, edu.readl(ID.offset()));
        // A write to ID is dropped and counted as READ_ONLY_WRITE.
        edu.writel(ID.offset(), 0xdeadbeefL);
        assertEquals(0x010000edL, edu.readl(ID.offset()));
        assertEquals(1, edu.count(READ_ONLY_WRITE));
    }

    @Test
    @DisplayName("/edu/liveness")
    void shouldReturnBitwiseNotOfLastLivenessWrite() {
        // Reset value 0 reads back as all ones.
        assertEquals(0xFFFF_FFFFL, edu.readl(LIVENESS.offset()));
        // Each write reads back inverted.
        edu.writel(LIVENESS.offset(), 0x12345678L);
        assertEquals(0xEDCBA987L, edu.readl(LIVENESS.offset()));
        edu.writel(LIVENESS.offset(), 0xFFFF_FFFFL);
        assertEquals(0L, edu.readl(LIVENESS.offset()));
        assertEquals(0, edu.errors.total());
    }

    @Test
    @DisplayName("/edu/factorial/timing")
    void shouldComputeFactorialInTenCyclesPerStep() {
        // Write n = 5: STATUS.COMPUTING is set at once.
        edu.writel(FACTORIAL.offset(), 5);
        assertEquals(STATUS_COMPUTING, edu.readl(STATUS.offset()) & STATUS_COMPUTING);
        // One cycle before 10 * 5 cycles have passed the unit is still busy.
        edu.stepCycles(10 * 5 - 1);
        assertEquals(STATUS_COMPUTING, edu.readl(STATUS.offset()) & STATUS_COMPUTING);
        // At 50 cycles COMPUTING clears and FACTORIAL holds 5! = 120.
        edu.stepCycles(1);
        assertEquals(0, edu.readl(STATUS.offset()) & STATUS_COMPUTING);
        assertEquals(120, edu.readl(FACTORIAL.offset()));
        // 0! = 1, and takes the minimum of 10 cycles.
        edu.writel(FACTORIAL.offset(), 0);
        edu.stepCycles(9);
        assertEquals(STATUS_COMPUTING, edu.readl(STATUS.offset()) & STATUS_COMPUTING);
        edu.stepCycles(1);
        assertEquals(1, edu.readl(FACTORIAL.offset()));
    }

    @Test
    @DisplayName("/edu/factorial/wrap")
    void shouldWrapFactorialResultAtThirtyTwoBits() {
        // 12! = 479001600 still fits in 32 bits.
        edu.writel(FACTORIAL.offset(), 12);
        edu.stepCycles(120);
        assertEquals(479_001_600L, edu.readl(FACTORIAL.offset()));
        // 13! = 6227020800 wraps to 6227020800 mod 2^32 = 0x7328cc00.
        edu.writel(FACTORIAL.offset(), 13);
        edu.stepCycles(130);
        assertEquals(0x7328_cc00L, edu.readl(FACTORIAL.offset()));
    }

    @Test
    @DisplayName("/edu/factorial/large")
    void shouldAnswerZeroForFactorialsFromThirtyFourUpAndMatchExactValuesBelow() {
        // 33! mod 2^32 = 0x80000000 (exactly 31 factors of two); 34! mod 2^32 = 0.
        edu.writel(FACTORIAL.offset(), 33);
        edu.stepCycles(330);
        long expected = 1;
        for (int i = 2; i <= 33; i++) {
            expected *= i; // the low 32 bits of a wrapping 64-bit product are the 32-bit product
        }
        assertEquals(expected & 0xFFFF_FFFFL, edu.readl(FACTORIAL.offset()));
        assertEquals(0x8000_0000L, expected & 0xFFFF_FFFFL);
        edu.writel(FACTORIAL.offset(), 34);
        edu.stepCycles(340);
        assertEquals(0, edu.readl(FACTORIAL.offset()));
        // The largest n costs 10 * 0xffffffff cycles of simulated time, not host time.
        edu.writel(FACTORIAL.offset(), -1);
        edu.stepCycles(10L * 0xFFFF_FFFFL);
        assertEquals(0, edu.readl(STATUS.offset()) & STATUS_COMPUTING);
        assertEquals(0, edu.readl(FACTORIAL.offset()));
    }

    @Test
    @DisplayName("/edu/factorial/busy")
    void shouldIgnoreFactorialWriteWhileBusy() {
        // Start 5!, then write 3 while the unit is busy: the second write is ignored.
        edu.writel(FACTORIAL.offset(), 5);
        edu.stepCycles(10);
        edu.writel(FACTORIAL.offset(), 3);
        // 3! would finish at cycle 10 + 30; nothing completes there.
        edu.stepCycles(30);
        assertEquals(STATUS_COMPUTING, edu.readl(STATUS.offset()) & STATUS_COMPUTING);
        // 5! finishes at cycle 50 with 120, and no second computation follows.
        edu.stepCycles(10);
        assertEquals(120, edu.readl(FACTORIAL.offset()));
        assertEquals(0, edu.readl(STATUS.offset()) & STATUS_COMPUTING);
        edu.stepCycles(1000);
        assertEquals(120, edu.readl(FACTORIAL.offset()));
    }

    @Test
    @DisplayName("/edu/factorial/status-computing-read-only")
    void shouldKeepComputingBitReadOnlyAndIrqOnFactorialWritable() {
        // Writing COMPUTING | IRQ_ON_FACTORIAL to STATUS only sets IRQ_ON_FACTORIAL.
        edu.writel(STATUS.offset(), STATUS_COMPUTING | STATUS_IRQ_ON_FACTORIAL);
        assertEquals(STATUS_IRQ_ON_FACTORIAL, edu.readl(STATUS.offset()));
        // No computation was started by it.
        edu.stepCycles(1000);
        assertEquals(0, edu.readl(IRQ_STATUS.offset()));
    }

    @Test
    @DisplayName("/edu/factorial/irq")
    void shouldRaiseFactorialIrqWhenRequestedAndLowerItOnAck() {
        // Without IRQ_ON_FACTORIAL a finished factorial raises nothing.
        edu.writel(FACTORIAL.offset(), 2);
        edu.stepCycles(20);
        assertEquals(0, edu.readl(IRQ_STATUS.offset()));
        assertFalse(edu.irqLevel());
        // With IRQ_ON_FACTORIAL set, the line stays low while computing...
        edu.writel(STATUS.offset(), STATUS_IRQ_ON_FACTORIAL);
        edu.writel(FACTORIAL.offset(), 4);
        edu.stepCycles(39);
        assertFalse(edu.irqLevel());
        // ...and at completion IRQ_STATUS bit 0x1 is set and INTx asserted.
        edu.stepCycles(1);
        assertEquals(IRQ_FACTORIAL, edu.readl(IRQ_STATUS.offset()));
        assertTrue(edu.irqLevel());
        assertEquals(24, edu.readl(FACTORIAL.offset()));
        // IRQ_ACK of the bit lowers the line.
        edu.writel(IRQ_ACK.offset(), IRQ_FACTORIAL);
        assertEquals(0, edu.readl(IRQ_STATUS.offset()));
        assertFalse(edu.irqLevel());
    }

    @Test
    @DisplayName("/edu/irq/raise-ack")
    void shouldSetIrqStatusBitsOnRaiseAndClearThemOnAck() {
        // IRQ_RAISE ORs bits in (write 1 to set); the line goes high with the first bit.
        edu.writel(IRQ_RAISE.offset(), 0x5);
        assertEquals(0x5, edu.readl(IRQ_STATUS.offset()));
        assertTrue(edu.irqLevel());
        edu.writel(IRQ_RAISE.offset(), 0x8000_0002L);
        assertEquals(0x8000_0007L, edu.readl(IRQ_STATUS.offset()));
        // IRQ_ACK clears only the written bits (write 1 to clear); the line stays high while any bit is left.
        edu.writel(IRQ_ACK.offset(), 0x1);
        assertEquals(0x8000_0006L, edu.readl(IRQ_STATUS.offset()));
        assertTrue(edu.irqLevel());
        edu.writel(IRQ_ACK.offset(), 0x0);
        assertEquals(0x8000_0006L, edu.readl(IRQ_STATUS.offset()));
        // Clearing the last bits lowers the line.
        edu.writel(IRQ_ACK.offset(), 0xFFFF_FFFFL);
        assertEquals(0, edu.readl(IRQ_STATUS.offset()));
        assertFalse(edu.irqLevel());
        assertEquals(0, edu.errors.total());
    }

    @Test
    @DisplayName("/edu/irq/status-read-only")
    void shouldDropWritesToIrqStatus() {
        // IRQ_STATUS is RO: a write neither sets bits nor asserts the line, and is counted.
        edu.writel(IRQ_STATUS.offset(), 0x1);
        assertEquals(0, edu.readl(IRQ_STATUS.offset()));
        assertFalse(edu.irqLevel());
        assertEquals(1, edu.count(READ_ONLY_WRITE));
    }

    @Test
    @DisplayName("/edu/invalid/size-below-0x80")
    void shouldAnswerOpenBusToNarrowAndWideAccessesBelow0x80() {
        // A 2-byte read of ID answers open bus 0xffff and counts INVALID_ACCESS_SIZE.
        assertEquals(0xFFFFL, edu.readw(ID.offset()));
        assertEquals(1, edu.count(INVALID_ACCESS_SIZE));
        // An 8-byte read below 0x80 is refused the same way.
        assertEquals(-1L, edu.readq(ID.offset()));
        assertEquals(2, edu.count(INVALID_ACCESS_SIZE));
        // A 2-byte write to LIVENESS is dropped.
        edu.mmio.write(EduTestSupport.BAR0 + LIVENESS.offset(), AccessSize.WORD, 0x1234);
        assertEquals(0xFFFF_FFFFL, edu.readl(LIVENESS.offset()));
        assertEquals(3, edu.count(INVALID_ACCESS_SIZE));
    }

    @Test
    @DisplayName("/edu/invalid/qword-from-0x80")
    void shouldAcceptEightByteAccessesFrom0x80() {
        // DMA_SRC takes a full 64-bit value in one 8-byte access and reads it back whole.
        edu.writeq(0x80, 0x0123_4567_89AB_CDEFL);
        assertEquals(0x0123_4567_89AB_CDEFL, edu.readq(0x80));
        // A 4-byte read of the same register answers its low half.
        assertEquals(0x89AB_CDEFL, edu.readl(0x80));
        assertEquals(0, edu.errors.total());
    }

    @Test
    @DisplayName("/edu/invalid/unknown-register")
    void shouldCountDeviceErrorForUnknownRegisterInBlock() {
        // 0x10 lies inside the register block but names no register: reads answer all ones.
        assertEquals(0xFFFF_FFFFL, edu.readl(0x10));
        assertEquals(1, edu.count(DEVICE));
        // A write there is dropped and counted too.
        edu.writel(0x0C, 0x1);
        assertEquals(2, edu.count(DEVICE));
        // Between the register blocks and the DMA buffer is a hole: unassigned, not DEVICE.
        assertEquals(0xFFFF_FFFFL, edu.readl(0x1000));
        assertEquals(1, edu.count(UNASSIGNED_ACCESS));
        assertEquals(2, edu.count(DEVICE));
    }

    @Test
    @DisplayName("/edu/dma-buffer/bar0-window")
    void shouldExposeDmaBufferThroughBar0() {
        // The 4 KiB DMA buffer is plain memory at BAR0 + 0x40000, zero after reset.
        assertEquals(0, edu.readq(EduRegs.DMA_BUFFER));
        // Any aligned size reads back what was written, little-endian.
        edu.writeq(EduRegs.DMA_BUFFER, 0x1122_3344_5566_7788L);
        assertEquals(0x5566_7788L, edu.readl(EduRegs.DMA_BUFFER));
        assertEquals(0x1122_3344L, edu.readl(EduRegs.DMA_BUFFER + 4));
        assertEquals(0x88L, edu.mmio.read(EduTestSupport.BAR0 + EduRegs.DMA_BUFFER, AccessSize.BYTE));
        // Its last dword is the last byte of the window; one past it is a hole.
        edu.writel(EduRegs.DMA_BUFFER + EduRegs.DMA_BUFFER_SIZE - 4, 0xCAFEF00DL);
        assertEquals(0xCAFEF00DL, edu.readl(EduRegs.DMA_BUFFER + EduRegs.DMA_BUFFER_SIZE - 4));
        assertEquals(0xFFFF_FFFFL, edu.readl(EduRegs.DMA_BUFFER + EduRegs.DMA_BUFFER_SIZE));
        assertEquals(1, edu.count(UNASSIGNED_ACCESS));
    }
}
