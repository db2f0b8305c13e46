package dev.gpuemu.machine.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.machine.GuestErrors;
import dev.gpuemu.machine.GuestErrors.Kind;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/// Walks the bus the way vm-device's `test_bus` does: base-1, every offset, last+1.
class MmioBusTest {
    private static final long BASE = 0x1000_0000L;
    private static final long SIZE = 0x10;

    private GuestErrors errors;
    private MmioBus bus;
    private MmioRegion small;

    @BeforeEach
    void setUp() {
        errors = new GuestErrors();
        bus = new MmioBus(errors);
        small = MmioRegion.builder("small", SIZE).memory(0, SIZE, AccessSpec.ANY_ALIGNED, false).build();
    }

    @AfterEach
    void tearDown() {
        small.close();
    }

    @Test
    void shouldDecodeEveryOffsetOfSmallRegionAndNothingAround() {
        bus.map(BASE, small);

        // base-1: nothing decodes it
        assertEquals(0xff, bus.read(BASE - 1, AccessSize.BYTE));
        assertEquals(1, errors.count(Kind.UNASSIGNED_ACCESS));

        // every offset: a distinct byte written through the bus reads back through the bus
        for (long off = 0; off < SIZE; off++) {
            bus.write(BASE + off, AccessSize.BYTE, 0xa0 + off);
        }
        for (long off = 0; off < SIZE; off++) {
            assertEquals(0xa0 + off, bus.read(BASE + off, AccessSize.BYTE), "offset " + off);
        }
        assertEquals(1, errors.total(), "in-range accesses are not errors");

        // last+1: unassigned again, and a write there changes nothing
        bus.write(BASE + SIZE, AccessSize.BYTE, 0x55);
        assertEquals(0xff, bus.read(BASE + SIZE, AccessSize.BYTE));
        assertEquals(3, errors.count(Kind.UNASSIGNED_ACCESS));
    }

    @Test
    void shouldTreatAccessRunningOffEndOfMappingAsUnassigned() {
        bus.map(BASE, small);
        assertEquals(-1L, bus.read(BASE + SIZE - 4, AccessSize.QWORD));
        assertEquals(1, errors.count(Kind.UNASSIGNED_ACCESS));
        assertEquals(0, small.getLongPlain(8), "nothing read or written past the end");
    }

    @Test
    void shouldAnswerOpenBusMaskedToAccessSize() {
        assertEquals(0xffL, bus.read(0x2000, AccessSize.BYTE));
        assertEquals(0xffffL, bus.read(0x2000, AccessSize.WORD));
        assertEquals(0xffff_ffffL, bus.read(0x2000, AccessSize.DWORD));
        assertEquals(-1L, bus.read(0x2000, AccessSize.QWORD));
        bus.write(0x2000, AccessSize.DWORD, 1);
        assertEquals(5, errors.count(Kind.UNASSIGNED_ACCESS));
        assertEquals(5, errors.total());
    }

    @Test
    void shouldRejectOverlappingMappingButAcceptAdjacentOnes() {
        bus.map(BASE, small);
        try (MmioRegion other = MmioRegion.builder("other", 0x10).memory(0, 0x10, AccessSpec.ANY_ALIGNED, false).build()) {
            BusException below = assertThrows(BusException.class, () -> bus.map(BASE - 8, other));
            assertEquals(BusError.DEVICE_OVERLAP, below.error());
            BusException above = assertThrows(BusException.class, () -> bus.map(BASE + SIZE - 1, other));
            assertEquals(BusError.DEVICE_OVERLAP, above.error());
            BusException same = assertThrows(BusException.class, () -> bus.map(BASE, other));
            assertEquals(BusError.DEVICE_OVERLAP, same.error());

            MmioMapping before = bus.map(BASE - 0x10, other);
            assertEquals(List.of(BASE - 0x10, BASE), bus.mappings().stream().map(MmioMapping::base).toList());
            before.unmap();
            bus.map(BASE + SIZE, other).unmap();
        }
        assertEquals(0, errors.total(), "wiring errors are not guest errors");
    }

    @Test
    void shouldRejectNegativeOrWrappingRange() {
        assertEquals(BusError.INVALID_RANGE, assertThrows(BusException.class, () -> bus.map(-16, small)).error());
        assertEquals(BusError.INVALID_RANGE,
                assertThrows(BusException.class, () -> bus.map(Long.MAX_VALUE - 4, small)).error());
        assertTrue(bus.mappings().isEmpty());
    }

    @Test
    void shouldMakeAddressesUnassignedAfterUnmap() {
        MmioMapping m = bus.map(BASE, small);
        bus.write(BASE, AccessSize.DWORD, 0x1234);
        assertEquals(0x1234, bus.read(BASE, AccessSize.DWORD));
        assertEquals(m, bus.mappingAt(BASE + SIZE - 1));

        m.unmap();

        assertTrue(m.isUnmapped());
        assertEquals(0xffff_ffffL, bus.read(BASE, AccessSize.DWORD));
        assertEquals(1, errors.count(Kind.UNASSIGNED_ACCESS));
        assertEquals(BusError.DEVICE_NOT_FOUND, assertThrows(BusException.class, () -> bus.mappingAt(BASE)).error());
        assertEquals(0x1234, small.getIntPlain(0), "unmapping does not touch the region's contents");
    }

    @Test
    void shouldThrowOnSecondUnmap() {
        MmioMapping m = bus.map(BASE, small);
        m.unmap();
        assertThrows(IllegalStateException.class, m::unmap);
    }

    @Test
    void shouldFindTheRightMappingAmongMany() {
        MmioRegion[] regions = new MmioRegion[8];
        try {
            for (int i = 0; i < regions.length; i++) {
                regions[i] = MmioRegion.builder("r" + i, 0x100).memory(0, 0x100, AccessSpec.ANY_ALIGNED, false).build();
                regions[i].putIntPlain(0, i);
            }
            // map out of order, with gaps
            int[] order = {5, 1, 7, 0, 3, 6, 2, 4};
            for (int i : order) {
                bus.map(0x10_0000L * (i + 1), regions[i]);
            }
            for (int i = 0; i < regions.length; i++) {
                assertEquals(i, bus.read(0x10_0000L * (i + 1), AccessSize.DWORD));
                assertEquals(0xffL, bus.read(0x10_0000L * (i + 1) + 0x100, AccessSize.BYTE));
            }
            assertEquals(8, errors.total());
        } finally {
            for (MmioMapping m : bus.mappings()) {
                m.unmap();
            }
            for (MmioRegion r : regions) {
                if (r != null) {
                    r.close();
                }
            }
        }
    }

    @Test
    void shouldRejectAccessLengthsOtherThanOneTwoFourEight() {
        assertEquals(AccessSize.WORD, AccessSize.ofBytes(2));
        assertEquals(BusError.INVALID_ACCESS_LENGTH, assertThrows(BusException.class, () -> AccessSize.ofBytes(3)).error());
        assertEquals(BusError.INVALID_ACCESS_LENGTH, assertThrows(BusException.class, () -> AccessSize.ofBytes(16)).error());
    }
}
