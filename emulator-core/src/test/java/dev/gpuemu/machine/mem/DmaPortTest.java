package dev.gpuemu.machine.mem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.machine.GuestErrors;
import dev.gpuemu.machine.GuestErrors.Kind;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DmaPortTest {
    private static final long BASE = 0x4000_0000L;
    private static final long SIZE = 64 * 1024;

    private final GuestErrors errors = new GuestErrors();
    private final SystemMemory mem = new SystemMemory(BASE, SIZE, errors);
    private final DmaPort dma = new DmaPort(mem, errors, "dma:test");
    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void tearDown() {
        arena.close();
        mem.close();
    }

    private boolean ramIsAllZero() {
        return mem.direct(BASE, SIZE).mismatch(arena.allocate(SIZE)) == -1;
    }

    @Test
    void shouldRoundTripBlocksAndIntsInRange() {
        MemorySegment src = arena.allocate(256);
        for (int i = 0; i < 256; i++) {
            src.set(ValueLayout.JAVA_BYTE, i, (byte) i);
        }
        assertTrue(dma.write(BASE + 0x1000, src));
        MemorySegment dst = arena.allocate(256);
        assertTrue(dma.read(BASE + 0x1000, dst));
        assertEquals(-1, src.mismatch(dst));
        assertArrayEquals(src.toArray(ValueLayout.JAVA_BYTE), mem.direct(BASE + 0x1000, 256).toArray(ValueLayout.JAVA_BYTE),
                "bus address == physical address: the kernel's direct map sees the same bytes");

        assertTrue(dma.writeInt(BASE + SIZE - 4, 0xcafe_f00d));
        assertEquals(0xcafe_f00dL, dma.readInt(BASE + SIZE - 4), "zero-extended, last word of RAM");
        assertEquals((byte) 0x0d, mem.direct(BASE + SIZE - 4, 1).get(ValueLayout.JAVA_BYTE, 0), "little-endian");
        assertTrue(dma.writeLong(BASE, 0x0102_0304_0506_0708L));
        assertEquals(0x0506_0708L, dma.readInt(BASE));
        assertEquals(0, errors.total());
    }

    @Test
    void shouldRefuseAndCountTransfersBeyondRam() {
        assertFalse(dma.writeInt(BASE + SIZE, 1));
        assertFalse(dma.writeInt(BASE + SIZE - 2, 1), "straddles the end of RAM");
        assertFalse(dma.writeInt(BASE - 4, 1));
        assertFalse(dma.write(BASE + SIZE - 8, arena.allocate(16)));
        assertEquals(DmaPort.FAILED, dma.readInt(BASE + SIZE));
        MemorySegment dst = arena.allocate(16).fill((byte) 0x5a);
        assertFalse(dma.read(BASE + SIZE - 8, dst));
        assertEquals(0x5a, dst.get(ValueLayout.JAVA_BYTE, 0), "refused read leaves the destination alone");

        assertEquals(6, errors.count(Kind.DMA_OUT_OF_RANGE));
        assertEquals(6, errors.total());
        assertTrue(ramIsAllZero());
    }

    @Test
    void shouldRefuseAndCountTransfersAboveDmaMask() {
        dma.setMaskBits(28); // like QEMU edu's default 28-bit mask: RAM at 1 GiB is out of reach
        assertEquals(28, dma.maskBits());
        assertFalse(dma.writeInt(BASE, 1));
        assertEquals(DmaPort.FAILED, dma.readInt(BASE));
        assertEquals(2, errors.count(Kind.DMA_MASK_VIOLATION));
        assertTrue(ramIsAllZero());

        dma.setMaskBits(31); // 0x4000_0000 + 64 KiB - 1 < 2^31
        assertTrue(dma.writeInt(BASE, 1));
        assertThrows(IllegalArgumentException.class, () -> dma.setMaskBits(0));
        assertThrows(IllegalArgumentException.class, () -> dma.setMaskBits(65));
    }

    @Test
    void shouldRefuseAndCountTransfersWithoutBusMaster() {
        boolean[] master = {false};
        dma.setEnabled(() -> master[0]);
        assertFalse(dma.writeInt(BASE, 1));
        assertFalse(dma.write(BASE, arena.allocate(8).fill((byte) 1)));
        assertEquals(DmaPort.FAILED, dma.readInt(BASE));
        assertEquals(3, errors.count(Kind.DMA_WITHOUT_BUS_MASTER));
        assertTrue(ramIsAllZero());

        master[0] = true;
        assertTrue(dma.writeInt(BASE, 1));
        assertEquals(3, errors.total());
    }

    @Test
    void shouldReachRamAbove4GiBOnlyWithA64BitMask() {
        GuestErrors e = new GuestErrors();
        try (SystemMemory high = new SystemMemory(0x1_0000_0000L, 4096, e)) {
            DmaPort port = new DmaPort(high, e, "dma:high");
            assertFalse(port.writeInt(0x1_0000_0000L, 7), "default 32-bit mask");
            assertEquals(1, e.count(Kind.DMA_MASK_VIOLATION));
            port.setMaskBits(64);
            assertTrue(port.writeInt(0x1_0000_0000L, 7));
            assertEquals(7, port.readInt(0x1_0000_0000L));
        }
    }
}
