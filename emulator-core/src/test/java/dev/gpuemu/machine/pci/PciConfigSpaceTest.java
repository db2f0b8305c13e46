package dev.gpuemu.machine.pci;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gpuemu.machine.bus.AccessSpec;
import dev.gpuemu.machine.bus.MmioRegion;
import org.junit.jupiter.api.Test;

/// Set-up rules of the header; guest-visible behaviour is walked through [PciHostTest].
class PciConfigSpaceTest {

    @Test
    void shouldRejectIdentityValuesThatDoNotFit() {
        assertThrows(IllegalArgumentException.class, () -> new PciConfigSpace(0xffff, 1, 0, 0), "0xffff means absent");
        assertThrows(IllegalArgumentException.class, () -> new PciConfigSpace(0x1_0000, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new PciConfigSpace(1, 1, 0x100, 0));
        assertThrows(IllegalArgumentException.class, () -> new PciConfigSpace(1, 1, 0, 0x100_0000));
        assertThrows(IllegalArgumentException.class, () -> new PciConfigSpace(1, 1, 0, 0).setInterruptPin(5));
    }

    @Test
    void shouldRejectBadBarDeclarations() {
        try (MmioRegion r4k = region(0x1000); MmioRegion r8 = region(8); MmioRegion r3k = region(0x3000)) {
            PciConfigSpace c = new PciConfigSpace(1, 1, 0, 0);
            assertThrows(IllegalArgumentException.class, () -> c.declareMemoryBar(0, r8, false, false), "smaller than 16");
            assertThrows(IllegalArgumentException.class, () -> c.declareMemoryBar(0, r3k, false, false), "not a power of two");
            assertThrows(IllegalArgumentException.class, () -> c.declareMemoryBar(5, r4k, true, false), "64-bit needs two slots");
            assertThrows(IllegalArgumentException.class, () -> c.declareMemoryBar(6, r4k, false, false));
            c.declareMemoryBar(1, r4k, true, false);
            assertThrows(IllegalArgumentException.class, () -> c.declareMemoryBar(2, r4k, false, false), "upper half of BAR1");
            assertThrows(IllegalArgumentException.class, () -> c.declareMemoryBar(0, r4k, true, false), "would take slot 1");
            assertThrows(IllegalArgumentException.class, () -> c.barAddress(3));
        }
    }

    private static MmioRegion region(long size) {
        return MmioRegion.builder("r", size).memory(0, size, AccessSpec.ANY_ALIGNED, false).build();
    }
}
