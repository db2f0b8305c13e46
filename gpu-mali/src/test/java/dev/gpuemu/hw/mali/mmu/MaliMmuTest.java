package dev.gpuemu.hw.mali.mmu;

import static dev.gpuemu.regs.mali.MaliAsReg.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.hw.mali.GpuMemory;
import dev.gpuemu.hw.mali.MaliTestSupport;
import dev.gpuemu.hw.mali.MaliTimings;
import dev.gpuemu.machine.GuestErrors.Kind;
import dev.gpuemu.regs.mali.MaliException;
import dev.gpuemu.regs.mali.MaliReg;
import dev.gpuemu.regs.mali.MaliRegs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/// The MMU as panthor programs it: AS registers through MMIO, UPDATE latching, identity and
/// AArch64 4 KiB translation of tables built in system memory, faults reported through
/// AS_FAULTSTATUS / AS_FAULTADDRESS / MMU_IRQ, and AS_STATUS around commands.
class MaliMmuTest {
    /// panthor's TRANSCFG for a 48-bit VA space: AARCH64_4K | INA_BITS(55 - 48).
    private static final long TRANSCFG_4K = ADRMODE_AARCH64_4K | 7 << 6;
    private static final long TABLES = 0x10_0000;  // table pool at 1 MiB
    private static final int SRC = 0x1234;
    /// AS_COMMAND_CYCLES at 1 GHz.
    private static final long AS_CMD_NS = MaliTimings.AS_COMMAND_CYCLES;

    private MaliTestSupport t;
    private GpuMemory mem;
    private PageTables pt;

    @BeforeEach
    void setUp() {
        t = MaliTestSupport.open();
        mem = t.gpu.mmu();
        pt = new PageTables(t.memory, TABLES);
    }

    @AfterEach
    void tearDown() {
        t.close();
    }

    /// Programs address space `as` and issues UPDATE, waiting for AS_STATUS.ACTIVE to clear.
    private void configure(int as, long transtab, long transcfg) {
        t.writeAs64(as, AS_TRANSTAB, transtab);
        t.writeAs64(as, AS_MEMATTR, 0x4848_4848_4848_4888L);
        t.writeAs64(as, AS_TRANSCFG, transcfg);
        command(as, AS_COMMAND_UPDATE);
    }

    private void command(int as, int cmd) {
        t.writeAs(as, AS_COMMAND, cmd);
        t.step(AS_CMD_NS);
        assertEquals(0, t.readAs(as, AS_STATUS));
    }

    @Test
    @DisplayName("/mali/mmu/identity")
    void shouldMapVaToPaInIdentityMode() {
        configure(2, 0, ADRMODE_IDENTITY);
        assertEquals(0x12_3456L, mem.translate(2, 0x12_3456L, ACCESS_WRITE, SRC));
        assertEquals(GpuMemory.FAULT, mem.translate(2, 1L << 40, ACCESS_READ, SRC), "beyond the 40-bit PA space");
    }

    @Test
    @DisplayName("/mali/mmu/update-latch")
    void shouldTranslateWithTheConfigurationLatchedByUpdateOnly() {
        // Programmed but not latched: the space still has the reset mode and faults.
        t.writeAs64(0, AS_TRANSCFG, ADRMODE_IDENTITY);
        assertEquals(ADRMODE_IDENTITY, t.readAs64(0, AS_TRANSCFG), "reads show the programmed value");
        assertEquals(GpuMemory.FAULT, mem.translate(0, 0x1000, ACCESS_READ, SRC));
        t.writel(MaliReg.MMU_IRQ_CLEAR, 0xFFFF_FFFFL);
        command(0, AS_COMMAND_UPDATE);
        assertEquals(0x1000, mem.translate(0, 0x1000, ACCESS_READ, SRC));
        // Reprogramming without UPDATE changes nothing.
        pt.mapPage(0x1000, 0x30_0000, false, false);
        t.writeAs64(0, AS_TRANSTAB, pt.root());
        t.writeAs64(0, AS_TRANSCFG, TRANSCFG_4K);
        assertEquals(0x1000, mem.translate(0, 0x1000, ACCESS_READ, SRC));
        command(0, AS_COMMAND_UPDATE);
        assertEquals(0x30_0000, mem.translate(0, 0x1000, ACCESS_READ, SRC));
        assertEquals(0, t.errors.total());
    }

    @Test
    @DisplayName("/mali/mmu/walk-4k")
    void shouldWalkFourLevelsOfTablesInSystemMemory() {
        long va = 0x0000_7F12_3456_7000L;
        pt.mapPage(va, 0x20_5000, false, false);
        pt.mapPage(va + 0x1000, 0x21_a000, true, true);
        configure(1, pt.root(), TRANSCFG_4K);
        assertEquals(4, pt.tables().size(), "one table per level");
        assertEquals(0x20_5abcL, mem.translate(1, va + 0xabc, ACCESS_READ, SRC));
        assertEquals(0x20_5000L, mem.translate(1, va, ACCESS_WRITE, SRC));
        assertEquals(0x20_5000L, mem.translate(1, va, ACCESS_EXECUTE, SRC));
        assertEquals(0x21_a008L, mem.translate(1, va + 0x1008, ACCESS_READ, SRC));
        // A table changed in memory is seen by the next translation (no TLB holds the old one).
        pt.mapPage(va, 0x2f_f000, false, false);
        assertEquals(0x2f_f000L, mem.translate(1, va, ACCESS_READ, SRC));
        assertEquals(0, t.readl(MaliReg.MMU_IRQ_RAWSTAT));
    }

    @Test
    @DisplayName("/mali/mmu/blocks")
    void shouldTranslateTwoMegabyteAndOneGigabyteBlocks() {
        pt.mapBlock(2, 0x8000_0000L + 0x20_0000, 0x20_0000);   // 2 MiB block at level 2
        pt.mapBlock(1, 0x40_0000_0000L, 0);                    // 1 GiB block at level 1
        configure(0, pt.root(), TRANSCFG_4K);
        assertEquals(0x21_2345L, mem.translate(0, 0x8021_2345L, ACCESS_WRITE, SRC));
        assertEquals(0x3F_FFF8L, mem.translate(0, 0x8020_0000L + 0x1F_FFF8L, ACCESS_READ, SRC));
        assertEquals(0x12_3456L, mem.translate(0, 0x40_0012_3456L, ACCESS_READ, SRC));
        // A block descriptor at level 0 is invalid: translation fault, level 0.
        pt.put(0, 0x80_0000_0000L, MaliPtes.block(0));
        assertEquals(GpuMemory.FAULT, mem.translate(0, 0x80_0000_0000L, ACCESS_READ, SRC));
        assertEquals(MaliException.TRANSLATION_FAULT_0.code(), t.readAs(0, AS_FAULTSTATUS) & 0xFF);
    }

    @Test
    @DisplayName("/mali/mmu/unmapped-fault")
    void shouldReportAnUnmappedVaThroughFaultRegistersAndTheMmuIrq() {
        pt.mapPage(0x1000, 0x20_0000, false, false);
        configure(3, pt.root(), TRANSCFG_4K);
        t.writel(MaliReg.MMU_IRQ_MASK, 0xFFFF_FFFFL);
        long va = 0x2000; // level-3 slot empty
        assertEquals(GpuMemory.FAULT, mem.translate(3, va, ACCESS_READ, SRC));
        assertEquals(MaliException.TRANSLATION_FAULT_3.code() | ACCESS_READ << 8 | SRC << 16,
                t.readAs(3, AS_FAULTSTATUS));
        assertEquals(va, t.readAs64(3, AS_FAULTADDRESS));
        assertEquals(MaliRegs.mmuIrqPageFault(3), t.readl(MaliReg.MMU_IRQ_STATUS));
        assertEquals(MaliRegs.GPU_STATUS_PAGE_FAULT, t.readl(MaliReg.GPU_STATUS) & MaliRegs.GPU_STATUS_PAGE_FAULT);
        t.step(1);
        assertTrue(t.line(MaliTestSupport.IRQ_MMU));
        // The first fault stays until the driver clears the interrupt...
        assertEquals(GpuMemory.FAULT, mem.translate(3, 0x40_0000_0000L, ACCESS_WRITE, 7));
        assertEquals(va, t.readAs64(3, AS_FAULTADDRESS));
        // ...then the next one is recorded: level 1 has no entry for this va.
        t.writel(MaliReg.MMU_IRQ_CLEAR, MaliRegs.mmuIrqPageFault(3));
        t.step(1);
        assertFalse(t.line(MaliTestSupport.IRQ_MMU));
        assertEquals(GpuMemory.FAULT, mem.translate(3, 0x40_0000_0000L, ACCESS_WRITE, 7));
        assertEquals(MaliException.TRANSLATION_FAULT_1.code() | ACCESS_WRITE << 8 | 7 << 16,
                t.readAs(3, AS_FAULTSTATUS));
        assertEquals(0x40_0000_0000L, t.readAs64(3, AS_FAULTADDRESS));
        // Other spaces were not touched.
        assertEquals(0, t.readAs(2, AS_FAULTSTATUS));
    }

    @Test
    @DisplayName("/mali/mmu/permissions")
    void shouldRaisePermissionAndAccessFlagFaults() {
        pt.mapPage(0x1000, 0x20_0000, true, true);
        pt.put(3, 0x2000, MaliPtes.pageWithoutAf(0x20_1000));
        configure(0, pt.root(), TRANSCFG_4K);
        assertEquals(0x20_0010L, mem.translate(0, 0x1010, ACCESS_READ, SRC));
        assertEquals(GpuMemory.FAULT, mem.translate(0, 0x1010, ACCESS_WRITE, SRC));
        assertEquals(MaliException.PERM_FAULT_3.code() | ACCESS_WRITE << 8 | SRC << 16, t.readAs(0, AS_FAULTSTATUS));
        assertEquals(0x1010, t.readAs64(0, AS_FAULTADDRESS));
        t.writel(MaliReg.MMU_IRQ_CLEAR, 0xFFFF_FFFFL);
        assertEquals(GpuMemory.FAULT, mem.translate(0, 0x1000, ACCESS_ATOMIC, SRC), "atomics write");
        t.writel(MaliReg.MMU_IRQ_CLEAR, 0xFFFF_FFFFL);
        assertEquals(GpuMemory.FAULT, mem.translate(0, 0x1000, ACCESS_EXECUTE, SRC));
        assertEquals(MaliException.PERM_FAULT_3.code() | ACCESS_EXECUTE << 8 | SRC << 16,
                t.readAs(0, AS_FAULTSTATUS));
        t.writel(MaliReg.MMU_IRQ_CLEAR, 0xFFFF_FFFFL);
        assertEquals(GpuMemory.FAULT, mem.translate(0, 0x2000, ACCESS_READ, SRC));
        assertEquals(MaliException.ACCESS_FLAG_3.code() | ACCESS_READ << 8 | SRC << 16, t.readAs(0, AS_FAULTSTATUS));
    }

    @Test
    @DisplayName("/mali/mmu/bus-fault")
    void shouldReportATableOutsideRamAsABusFault() {
        configure(4, 0x4000_0000L, TRANSCFG_4K); // 1 GiB: far beyond the 4 MiB of RAM
        assertEquals(GpuMemory.FAULT, mem.translate(4, 0x1000, ACCESS_READ, SRC));
        assertEquals(MaliRegs.mmuIrqBusFault(4), t.readl(MaliReg.MMU_IRQ_RAWSTAT));
        assertEquals(MaliException.GPU_BUS_FAULT.code() | ACCESS_READ << 8 | SRC << 16, t.readAs(4, AS_FAULTSTATUS));
        assertEquals(1, t.count(Kind.DMA_OUT_OF_RANGE));
    }

    @Test
    @DisplayName("/mali/mmu/modes")
    void shouldFaultEveryAccessInUnmappedModeAndCountUnmodelledModes() {
        configure(5, 0, ADRMODE_UNMAPPED);
        assertEquals(GpuMemory.FAULT, mem.translate(5, 0, ACCESS_READ, SRC));
        assertEquals(MaliException.TRANSLATION_FAULT_0.code() | ACCESS_READ << 8 | SRC << 16,
                t.readAs(5, AS_FAULTSTATUS));
        configure(6, pt.root(), ADRMODE_AARCH64_64K);
        assertEquals(1, t.count(Kind.DEVICE));
        assertEquals(GpuMemory.FAULT, mem.translate(6, 0, ACCESS_READ, SRC));
        assertEquals(GpuMemory.FAULT, mem.translate(8, 0, ACCESS_READ, SRC), "AS 8 does not exist");
        assertEquals(2, t.count(Kind.DEVICE));
    }

    @Test
    @DisplayName("/mali/mmu/as-status")
    void shouldHoldAsStatusActiveForTheDurationOfEveryCommand() {
        int[] cmds = {AS_COMMAND_UPDATE, AS_COMMAND_LOCK, AS_COMMAND_UNLOCK, AS_COMMAND_FLUSH_PT, AS_COMMAND_FLUSH_MEM};
        t.writeAs64(7, AS_LOCKADDR, 0x10_0000 | 20); // 2 MiB region
        t.writeAs64(7, AS_TRANSCFG, ADRMODE_UNMAPPED); // (ADRMODE 0, the reset value, is counted at UPDATE)
        for (int cmd : cmds) {
            t.writeAs(7, AS_COMMAND, cmd);
            assertEquals(AS_STATUS_ACTIVE, t.readAs(7, AS_STATUS), "command " + cmd);
            t.step(AS_CMD_NS - 1);
            assertEquals(AS_STATUS_ACTIVE, t.readAs(7, AS_STATUS), "command " + cmd);
            t.step(1);
            assertEquals(0, t.readAs(7, AS_STATUS), "command " + cmd);
        }
        // A command while ACTIVE is dropped and counted; so are undefined commands and small locks.
        t.writeAs(7, AS_COMMAND, AS_COMMAND_FLUSH_PT);
        t.writeAs(7, AS_COMMAND, AS_COMMAND_FLUSH_MEM);
        t.step(AS_CMD_NS);
        t.writeAs(7, AS_COMMAND, 9);
        assertEquals(0, t.readAs(7, AS_STATUS));
        t.writeAs64(7, AS_LOCKADDR, 0x10_0000 | 10);
        t.writeAs(7, AS_COMMAND, AS_COMMAND_LOCK);
        assertEquals(3, t.count(Kind.DEVICE));
        // A GPU reset ends the command at once and clears the space.
        t.writel(MaliReg.GPU_CMD, MaliRegs.GPU_CMD_SOFT_RESET);
        assertEquals(0, t.readAs(7, AS_STATUS));
        assertEquals(0, t.readAs64(7, AS_LOCKADDR));
    }

    @Test
    @DisplayName("/mali/mmu/physical")
    void shouldHandOutRamSlicesAndRefuseAddressesOutsideRam() {
        assertNotNull(mem.physical(0x20_0000, 4096));
        assertEquals(16, mem.physical(0x20_0ff0, 16).byteSize());
        assertNull(mem.physical(0x4000_0000L, 8));
        assertEquals(1, t.count(Kind.DMA_OUT_OF_RANGE));
        assertThrows(IllegalArgumentException.class, () -> mem.physical(0x20_0ff0, 32), "crosses a page: caller bug");
    }
}
