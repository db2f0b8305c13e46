package dev.gpuemu.machine.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gpuemu.machine.GuestErrors;
import dev.gpuemu.machine.GuestErrors.Kind;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/// Region layout used by most tests (offsets relative to the region, mapped at BASE):
///   0x000-0x00f  registers, valid 4..8, impl 4      (split)
///   0x010-0x01f  registers, valid 1..4, impl 4      (widen / RMW)
///   0x020-0x02f  registers, DWORD only
///   0x030-0x03f  hole
///   0x040-0x07f  memory, RW, aligned 1..8
///   0x080-0x0bf  memory, read-only
///   0x0c0-0x0ff  memory, unaligned accesses valid
class MmioRegionTest {
    private static final long BASE = 0x4000_0000L;

    private final GuestErrors errors = new GuestErrors();
    private final MmioBus bus = new MmioBus(errors);
    private final RecordingHandler split = new RecordingHandler();
    private final RecordingHandler narrow = new RecordingHandler();
    private final RecordingHandler dwords = new RecordingHandler();
    private final MmioRegion region = MmioRegion.builder("dev", 0x100)
            .registers(0x00, 0x10, AccessSpec.DWORD_QWORD_SPLIT, split)
            .registers(0x10, 0x10, AccessSpec.of(1, 4, 4, 4), narrow)
            .registers(0x20, 0x10, AccessSpec.DWORD_ONLY, dwords)
            .memory(0x40, 0x40, AccessSpec.ANY_ALIGNED, false)
            .memory(0x80, 0x40, AccessSpec.ANY_ALIGNED, true)
            .memory(0xc0, 0x40, new AccessSpec(1, 8, true, 1, 8), false)
            .build();
    private boolean closed;

    MmioRegionTest() {
        split.lock = region.deviceLock();
        narrow.lock = region.deviceLock();
        dwords.lock = region.deviceLock();
        bus.map(BASE, region);
    }

    @AfterEach
    void tearDown() {
        if (!closed) {
            region.close();
        }
    }

    @Test
    void shouldSplitQwordReadIntoTwoDwordHandlerReadsLowFirst() {
        split.regs.put(0x8L, 0x1111_2222L);
        split.regs.put(0xcL, 0x3333_4444L);
        assertEquals(0x3333_4444_1111_2222L, bus.read(BASE + 0x8, AccessSize.QWORD));
        assertEquals(List.of("R 8 4", "R c 4"), split.calls);
    }

    @Test
    void shouldSplitQwordWriteIntoTwoDwordHandlerWritesLowFirst() {
        bus.write(BASE, AccessSize.QWORD, 0xaaaa_bbbb_cccc_ddddL);
        assertEquals(List.of("W 0 4 ccccdddd", "W 4 4 aaaabbbb"), split.calls);
        assertEquals(0, errors.total());
    }

    @Test
    void shouldExtractTheAddressedByteFromAWiderRegister() {
        narrow.regs.put(0x14L, 0x4433_2211L);
        assertEquals(0x33, bus.read(BASE + 0x16, AccessSize.BYTE));
        assertEquals(0x4433, bus.read(BASE + 0x16, AccessSize.WORD));
        assertEquals(0x11, bus.read(BASE + 0x14, AccessSize.BYTE));
        assertEquals(List.of("R 14 4", "R 14 4", "R 14 4"), narrow.calls, "always the whole impl-sized register");
    }

    @Test
    void shouldReadModifyWriteOnNarrowWrite() {
        narrow.regs.put(0x10L, 0x4433_2211L);
        bus.write(BASE + 0x11, AccessSize.BYTE, 0xab);
        assertEquals(List.of("R 10 4", "W 10 4 4433ab11"), narrow.calls);
        bus.write(BASE + 0x12, AccessSize.WORD, 0xbeef);
        assertEquals(0xbeef_ab11L, narrow.regs.get(0x10L));
    }

    @Test
    void shouldPassFullWidthWriteStraightThrough() {
        bus.write(BASE + 0x10, AccessSize.DWORD, 0x1234_5678L);
        assertEquals(List.of("W 10 4 12345678"), narrow.calls, "no read when the write covers the register");
    }

    @Test
    void shouldRejectSizeOutsideValidWithOpenBusAndWithoutCallingHandler() {
        assertEquals(0xff, bus.read(BASE + 0x20, AccessSize.BYTE));
        bus.write(BASE + 0x20, AccessSize.QWORD, 1);
        assertEquals(0xffff, bus.read(BASE, AccessSize.WORD));
        assertEquals(3, errors.count(Kind.INVALID_ACCESS_SIZE));
        assertEquals(List.of(), dwords.calls);
        assertEquals(List.of(), split.calls);
    }

    @Test
    void shouldRejectUnalignedAccessUnlessBlockAllowsIt() {
        assertEquals(0xffff_ffffL, bus.read(BASE + 0x22, AccessSize.DWORD));
        bus.write(BASE + 0x42, AccessSize.DWORD, 7);
        assertEquals(2, errors.count(Kind.UNALIGNED_ACCESS));
        assertEquals(List.of(), dwords.calls);
        assertEquals(0, region.getLongPlain(0x40), "rejected write left memory untouched");

        bus.write(BASE + 0xc3, AccessSize.DWORD, 0xdead_beefL);
        assertEquals(0xdead_beefL, bus.read(BASE + 0xc3, AccessSize.DWORD));
        assertEquals((byte) 0xef, region.getByte(0xc3), "little-endian, low byte at the low address");
        assertEquals(2, errors.total());
    }

    @Test
    void shouldTreatHoleAsUnassignedAndStraddlingAsInvalidSize() {
        assertEquals(0xffff_ffffL, bus.read(BASE + 0x30, AccessSize.DWORD));
        bus.write(BASE + 0x3c, AccessSize.DWORD, 1);
        assertEquals(2, errors.count(Kind.UNASSIGNED_ACCESS));

        // two adjacent blocks that both allow unaligned accesses: an 8-byte access at 0xc straddles them
        MmioRegion unaligned = MmioRegion.builder("adjacent", 0x20)
                .memory(0x00, 0x10, new AccessSpec(1, 8, true, 1, 8), false)
                .memory(0x10, 0x10, new AccessSpec(1, 8, true, 1, 8), false)
                .build();
        try {
            MmioMapping m = bus.map(0x5000_0000L, unaligned);
            assertEquals(-1L, bus.read(0x5000_000cL, AccessSize.QWORD));
            assertEquals(1, errors.count(Kind.INVALID_ACCESS_SIZE));
            m.unmap();
        } finally {
            unaligned.close();
        }
    }

    @Test
    void shouldDropAndCountWritesToReadOnlyMemory() {
        region.putIntPlain(0x80, 0x600d_f00d); // the device model may write it
        bus.write(BASE + 0x80, AccessSize.DWORD, 0xbad);
        assertEquals(0x600d_f00dL, bus.read(BASE + 0x80, AccessSize.DWORD));
        assertEquals(1, errors.count(Kind.READ_ONLY_WRITE));
        assertEquals(1, errors.total());
    }

    @Test
    void shouldShareMemoryBetweenBusAndDeviceAccessorsLittleEndian() {
        bus.write(BASE + 0x40, AccessSize.DWORD, 0x1122_3344L);
        assertEquals(0x1122_3344, region.getIntAcquire(0x40));
        assertEquals((byte) 0x44, region.getByte(0x40));
        region.putLongRelease(0x48, 0x0102_0304_0506_0708L);
        assertEquals(0x0506_0708L, bus.read(BASE + 0x48, AccessSize.DWORD));
        assertEquals(0x0102_0304_0506_0708L, bus.read(BASE + 0x48, AccessSize.QWORD));
        assertEquals(0x07, bus.read(BASE + 0x49, AccessSize.BYTE));
        region.putIntVolatile(0x50, -2);
        assertEquals(0xffff_fffeL, bus.read(BASE + 0x50, AccessSize.DWORD), "values are zero-extended");
        assertEquals(true, region.compareAndSetInt(0x50, -2, 3));
        assertEquals(3, region.getIntVolatile(0x50));
    }

    @Test
    void shouldCallHandlersOnlyWithDeviceLockHeld() {
        bus.write(BASE, AccessSize.QWORD, 1);
        bus.read(BASE + 0x11, AccessSize.BYTE);
        bus.write(BASE + 0x13, AccessSize.BYTE, 1);
        bus.read(BASE + 0x20, AccessSize.DWORD);
        assertFalse(split.calledWithoutLock || narrow.calledWithoutLock || dwords.calledWithoutLock);
        assertFalse(region.deviceLock().isLocked(), "released after the access");
    }

    @Test
    void shouldFailSegmentUseAfterClose() {
        MemorySegment view = region.segment(0x40, 0x40);
        view.set(ValueLayout.JAVA_BYTE, 0, (byte) 9);
        assertEquals(9, region.getByte(0x40));
        bus.mappings().forEach(MmioMapping::unmap);
        region.close();
        closed = true;

        assertThrows(IllegalStateException.class, () -> view.get(ValueLayout.JAVA_BYTE, 0));
        assertThrows(IllegalStateException.class, () -> region.getIntPlain(0x40));
        assertThrows(IllegalStateException.class, region::close, "second close");
    }

    @Test
    void shouldRejectBadLayoutsAtBuild() {
        RegisterHandler h = new RecordingHandler();
        assertThrows(IllegalArgumentException.class, () -> MmioRegion.builder("x", 0x100)
                .memory(0, 0x20, AccessSpec.ANY_ALIGNED, false)
                .registers(0x10, 0x10, AccessSpec.DWORD_ONLY, h).build(), "overlap");
        assertThrows(IllegalArgumentException.class, () -> MmioRegion.builder("x", 0x100)
                .memory(0xf0, 0x20, AccessSpec.ANY_ALIGNED, false), "outside the region");
        assertThrows(IllegalArgumentException.class, () -> MmioRegion.builder("x", 0x100)
                .registers(0x2, 0x4, AccessSpec.DWORD_ONLY, h), "register block not aligned to impl");
        assertThrows(IllegalArgumentException.class, () -> MmioRegion.builder("x", 0));
    }

    @Test
    void shouldValidateAccessSpecSizes() {
        assertThrows(IllegalArgumentException.class, () -> AccessSpec.of(3, 4));
        assertThrows(IllegalArgumentException.class, () -> AccessSpec.of(8, 4));
        assertThrows(IllegalArgumentException.class, () -> AccessSpec.of(1, 4, 4, 2));
        assertThrows(IllegalArgumentException.class, () -> AccessSpec.of(1, 16));
        assertEquals(new AccessSpec(4, 8, false, 4, 4), AccessSpec.DWORD_QWORD_SPLIT);
    }
}
