package dev.gpuemu.machine.pci;

import static dev.gpuemu.machine.pci.PciConfigSpace.BAR0;
import static dev.gpuemu.machine.pci.PciConfigSpace.COMMAND;
import static dev.gpuemu.machine.pci.PciConfigSpace.COMMAND_BUS_MASTER;
import static dev.gpuemu.machine.pci.PciConfigSpace.COMMAND_MEMORY;
import static dev.gpuemu.machine.pci.PciConfigSpace.INTERRUPT_LINE;
import static dev.gpuemu.machine.pci.PciConfigSpace.INTERRUPT_PIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.machine.GuestErrors;
import dev.gpuemu.machine.GuestErrors.Kind;
import dev.gpuemu.machine.bus.AccessSize;
import dev.gpuemu.machine.bus.AccessSpec;
import dev.gpuemu.machine.bus.MmioBus;
import dev.gpuemu.machine.bus.MmioRegion;
import dev.gpuemu.machine.bus.RegisterHandler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/// Walks a QEMU-edu-like function (1234:11e8, class 0x00ff00) through enumeration the way
/// firmware and the kernel do: probe vendor IDs, size BARs, program bases, enable decoding.
class PciHostTest {
    private static final Bdf EDU = new Bdf(0, 4, 0);
    private static final long BAR_BASE = 0xfe00_0000L;

    private final GuestErrors errors = new GuestErrors();
    private final MmioBus bus = new MmioBus(errors);
    private final PciHost host = new PciHost(bus, errors);
    private final List<Long> handlerReads = new ArrayList<>();
    private final MmioRegion bar0 = MmioRegion.builder("edu-bar0", 0x1000)
            .registers(0, 0x100, AccessSpec.DWORD_ONLY, new RegisterHandler() {
                @Override
                public long read(long offset, AccessSize size) {
                    handlerReads.add(offset);
                    return offset == 0 ? 0x010000ed : 0;
                }

                @Override
                public void write(long offset, AccessSize size, long value) {
                }
            })
            .build();
    private final MmioRegion bar2 = MmioRegion.builder("edu-bar2", 1L << 20)
            .memory(0, 1L << 20, AccessSpec.ANY_ALIGNED, false)
            .build();
    private final PciConfigSpace config = new PciConfigSpace(0x1234, 0x11e8, 0x10, 0x00ff00)
            .setSubsystem(0x1af4, 0x1100)
            .declareMemoryBar(0, bar0, false, false)
            .declareMemoryBar(2, bar2, true, true);
    private final PciFunction edu = () -> config;

    @AfterEach
    void tearDown() {
        bus.mappings().forEach(m -> m.unmap());
        bar0.close();
        bar2.close();
    }

    private long read32(Bdf bdf, int off) {
        return host.configRead(bdf, off, AccessSize.DWORD);
    }

    private void write32(Bdf bdf, int off, long v) {
        host.configWrite(bdf, off, AccessSize.DWORD, v);
    }

    @Test
    void shouldExposeIdentityFieldsAtTheirOffsets() {
        host.attach(EDU, edu);
        assertEquals(0x11e8_1234L, read32(EDU, 0x00), "device:vendor");
        assertEquals(0x1234, host.configRead(EDU, 0x00, AccessSize.WORD));
        assertEquals(0x11e8, host.configRead(EDU, 0x02, AccessSize.WORD));
        assertEquals(0x00ff_0010L, read32(EDU, 0x08), "class code above revision");
        assertEquals(0x1100_1af4L, read32(EDU, 0x2c), "subsystem:subsystem vendor");
        assertEquals(0, host.configRead(EDU, 0x0e, AccessSize.BYTE), "header type 0, single function");
        assertEquals(1, host.configRead(EDU, INTERRUPT_PIN, AccessSize.BYTE), "INTA#");
        assertEquals(0, read32(EDU, 0x40), "unimplemented offsets read 0");
        assertEquals(0, errors.total());
    }

    @Test
    void shouldAnswerAllOnesForAbsentFunctionAndIgnoreWrites() {
        Bdf empty = new Bdf(0, 5, 0);
        assertEquals(0xffff_ffffL, read32(empty, 0));
        assertEquals(0xffffL, host.configRead(empty, 0, AccessSize.WORD));
        assertEquals(0xffL, host.configRead(empty, 0x3c, AccessSize.BYTE));
        write32(empty, COMMAND, COMMAND_MEMORY);
        assertEquals(0, errors.total(), "probing empty slots is normal, not a guest error");

        host.attach(EDU, edu);
        host.detach(EDU);
        assertEquals(0xffff_ffffL, read32(EDU, 0), "gone after detach");
        assertThrows(IllegalStateException.class, () -> host.detach(EDU));
    }

    @Test
    void shouldImplementSizingProtocolFor32BitBar() {
        host.attach(EDU, edu);
        assertEquals(0, read32(EDU, BAR0), "32-bit, non-prefetchable, base 0");
        write32(EDU, BAR0, 0xffff_ffffL);
        assertEquals(0xffff_f000L, read32(EDU, BAR0), "~(4 KiB - 1), flag bits 0");
        write32(EDU, BAR0, BAR_BASE | 0x123);
        assertEquals(BAR_BASE, read32(EDU, BAR0), "base aligned to the size");
        assertEquals(BAR_BASE, config.barAddress(0));
        assertEquals(0, read32(EDU, BAR0 + 4), "unimplemented BAR1 reads 0 even after all ones");
        write32(EDU, BAR0 + 4, 0xffff_ffffL);
        assertEquals(0, read32(EDU, BAR0 + 4));
    }

    @Test
    void shouldImplementSizingProtocolFor64BitPrefetchableBar() {
        host.attach(EDU, edu);
        int lo = BAR0 + 8;
        int hi = BAR0 + 12;
        assertEquals(0xcL, read32(EDU, lo), "type 64-bit (10b) and prefetchable");
        write32(EDU, lo, 0xffff_ffffL);
        write32(EDU, hi, 0xffff_ffffL);
        assertEquals(0xfff0_000cL, read32(EDU, lo), "~(1 MiB - 1) | flags");
        assertEquals(0xffff_ffffL, read32(EDU, hi), "upper half all writable");
        write32(EDU, lo, 0x0020_0000L);
        write32(EDU, hi, 0x8);
        assertEquals(0x8_0020_0000L, config.barAddress(2));
    }

    @Test
    void shouldMapBarWhenMemoryDecodingIsEnabledAndUnmapWhenDisabled() {
        host.attach(EDU, edu);
        write32(EDU, BAR0, BAR_BASE);
        assertEquals(0xffff_ffffL, bus.read(BAR_BASE, AccessSize.DWORD), "not decoded before COMMAND.MEMORY");

        host.configWrite(EDU, COMMAND, AccessSize.WORD, COMMAND_MEMORY);
        assertTrue(config.memoryEnabled());
        assertEquals(0x010000edL, bus.read(BAR_BASE, AccessSize.DWORD), "bus read reaches the handler");
        assertEquals(List.of(0L), handlerReads);

        host.configWrite(EDU, COMMAND, AccessSize.WORD, 0);
        assertEquals(0xffff_ffffL, bus.read(BAR_BASE, AccessSize.DWORD));
        assertEquals(List.of(0L), handlerReads);
        assertEquals(2, errors.count(Kind.UNASSIGNED_ACCESS));
    }

    @Test
    void shouldRemapBarRewrittenWhileEnabled() {
        host.attach(EDU, edu);
        write32(EDU, BAR0, BAR_BASE);
        host.configWrite(EDU, COMMAND, AccessSize.WORD, COMMAND_MEMORY);
        write32(EDU, BAR0, BAR_BASE + 0x10_0000);
        assertEquals(0xffff_ffffL, bus.read(BAR_BASE, AccessSize.DWORD), "old base no longer decodes");
        assertEquals(0x010000edL, bus.read(BAR_BASE + 0x10_0000, AccessSize.DWORD));
        assertEquals(1, bus.mappings().size());
    }

    @Test
    void shouldMap64BitBarAbove4GiB() {
        host.attach(EDU, edu);
        write32(EDU, BAR0 + 8, 0);
        write32(EDU, BAR0 + 12, 0x1);
        host.configWrite(EDU, COMMAND, AccessSize.WORD, COMMAND_MEMORY);
        bar2.putLongPlain(0x100, 0x1122_3344_5566_7788L);
        assertEquals(0x1122_3344_5566_7788L, bus.read(0x1_0000_0100L, AccessSize.QWORD));
        assertEquals(1, bus.mappings().size(), "BAR0 still at base 0: not decoded");
    }

    @Test
    void shouldCountBarThatCannotBeDecodedAndLeaveItUnmapped() {
        MmioRegion other = MmioRegion.builder("other", 0x1000).memory(0, 0x1000, AccessSpec.ANY_ALIGNED, false).build();
        try {
            bus.map(BAR_BASE, other);
            host.attach(EDU, edu);
            write32(EDU, BAR0, BAR_BASE);
            host.configWrite(EDU, COMMAND, AccessSize.WORD, COMMAND_MEMORY);
            assertEquals(1, errors.count(Kind.PCI_CONFIG), "overlap with another device");
            assertEquals("other", bus.mappingAt(BAR_BASE).region().name());
        } finally {
            host.detach(EDU);
            bus.mappings().forEach(m -> m.unmap());
            other.close();
        }
    }

    @Test
    void shouldIgnoreWritesToReadOnlyFields() {
        host.attach(EDU, edu);
        write32(EDU, 0x00, 0xdead_beefL);
        write32(EDU, 0x08, 0xffff_ffffL);
        write32(EDU, 0x2c, 0);
        host.configWrite(EDU, 0x0e, AccessSize.BYTE, 0x80);
        host.configWrite(EDU, INTERRUPT_PIN, AccessSize.BYTE, 3);
        host.configWrite(EDU, 0x06, AccessSize.WORD, 0xffff);
        assertEquals(0x11e8_1234L, read32(EDU, 0x00));
        assertEquals(0x00ff_0010L, read32(EDU, 0x08));
        assertEquals(0x1100_1af4L, read32(EDU, 0x2c));
        assertEquals(0, host.configRead(EDU, 0x0e, AccessSize.BYTE));
        assertEquals(1, host.configRead(EDU, INTERRUPT_PIN, AccessSize.BYTE));
        assertEquals(0, host.configRead(EDU, 0x06, AccessSize.WORD), "status");

        write32(EDU, COMMAND, 0xffff_ffffL);
        assertEquals(0x0407, host.configRead(EDU, COMMAND, AccessSize.WORD), "only IO, MEMORY, BUS_MASTER, INTX_DISABLE");
        assertTrue(config.intxDisabled());
        assertEquals(0, errors.total());
    }

    @Test
    void shouldTrackBusMasterBitForDma() {
        host.attach(EDU, edu);
        assertFalse(config.busMasterEnabled());
        host.configWrite(EDU, COMMAND, AccessSize.BYTE, COMMAND_BUS_MASTER);
        assertTrue(config.busMasterEnabled());
        assertFalse(config.memoryEnabled());
    }

    @Test
    void shouldWriteRoutedIrqIntoInterruptLineOnAttach() {
        host.setIntxRouting(32);
        host.attach(EDU, edu);
        // device 4, INTA#: 32 + ((4 + 1 - 1) mod 4) = 32
        assertEquals(32, host.configRead(EDU, INTERRUPT_LINE, AccessSize.BYTE));
        assertEquals(32, host.intxIrq(EDU));

        Bdf slot5 = new Bdf(0, 5, 0);
        PciConfigSpace c5 = new PciConfigSpace(0x1234, 0x1, 0, 0);
        host.attach(slot5, () -> c5);
        assertEquals(33, c5.interruptLine(), "next slot rotates to the next line");

        Bdf slot7 = new Bdf(0, 7, 0);
        PciConfigSpace c7 = new PciConfigSpace(0x1234, 0x2, 0, 0).setInterruptPin(2);
        host.attach(slot7, () -> c7);
        assertEquals(32, host.intxIrq(slot7), "device 7, INTB#: 32 + ((7 + 2 - 1) mod 4)");
        assertEquals(32, c7.interruptLine());

        host.configWrite(EDU, INTERRUPT_LINE, AccessSize.BYTE, 11);
        assertEquals(11, host.configRead(EDU, INTERRUPT_LINE, AccessSize.BYTE), "the kernel may rewrite it");
        assertEquals(-1, host.intxIrq(new Bdf(0, 9, 0)), "nothing attached");
    }

    @Test
    void shouldReportNoIrqWithoutRoutingOrPin() {
        host.attach(EDU, edu);
        assertEquals(-1, host.intxIrq(EDU));
        assertEquals(0, config.interruptLine());
        Bdf noPin = new Bdf(0, 6, 0);
        host.attach(noPin, () -> new PciConfigSpace(0x1234, 3, 0, 0).setInterruptPin(0));
        host.setIntxRouting(16);
        assertEquals(16, host.intxIrq(EDU), "routing set later re-routes present functions");
        assertEquals(16, config.interruptLine());
        assertEquals(-1, host.intxIrq(noPin));
    }

    @Test
    void shouldCountConfigAccessesOutsideTheSpace() {
        host.attach(EDU, edu);
        assertEquals(0xffff_ffffL, read32(EDU, 0xfe));
        assertEquals(0xffL, host.configRead(EDU, 256, AccessSize.BYTE));
        host.configWrite(EDU, -1, AccessSize.BYTE, 0);
        assertEquals(3, errors.count(Kind.PCI_CONFIG));
        assertEquals(0, host.configRead(EDU, 0xff, AccessSize.BYTE), "the last byte is addressable");
        assertEquals(0, host.configRead(EDU, 0xfc, AccessSize.DWORD));
        assertEquals(3, errors.count(Kind.PCI_CONFIG));
    }

    @Test
    void shouldAdvertiseMultiFunctionWhenAnotherFunctionIsPresent() {
        host.attach(EDU, edu);
        host.attach(new Bdf(0, 4, 1), () -> new PciConfigSpace(0x1234, 0x11e9, 0, 0));
        assertEquals(0x80, host.configRead(EDU, 0x0e, AccessSize.BYTE));
        assertEquals(0x0080_0000L, read32(EDU, 0x0c) & 0x00ff_0000L);
        assertEquals(0, host.configRead(new Bdf(0, 4, 1), 0x0e, AccessSize.BYTE));
    }

    @Test
    void shouldUnmapBarsOnDetachAndRefuseDoubleAttach() {
        host.attach(EDU, edu);
        write32(EDU, BAR0, BAR_BASE);
        host.configWrite(EDU, COMMAND, AccessSize.WORD, COMMAND_MEMORY);
        assertEquals(1, bus.mappings().size());
        assertThrows(IllegalStateException.class, () -> host.attach(EDU, edu), "slot occupied");
        assertThrows(IllegalStateException.class, () -> host.attach(new Bdf(0, 8, 0), edu), "already attached");
        assertThrows(IllegalStateException.class, () -> config.declareMemoryBar(4, bar0, false, false));

        host.detach(EDU);
        assertTrue(bus.mappings().isEmpty());
        assertFalse(config.memoryEnabled(), "power removed clears COMMAND");
    }
}
