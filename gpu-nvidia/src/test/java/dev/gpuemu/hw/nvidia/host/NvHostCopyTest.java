package dev.gpuemu.hw.nvidia.host;

import static dev.gpuemu.hw.nvidia.host.HostHarness.*;
import static dev.gpuemu.regs.nvidia.Clc6b5.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.regs.nvidia.NvHostReg;
import dev.gpuemu.regs.nvidia.NvHostRegs;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/// qtest-style walk-throughs: doorbell -> GPFIFO fetch -> pushbuffer -> copy engine ->
/// semaphore, driven with the register data a driver would use.
class NvHostCopyTest {
    private static final long SRC_PA = 0x40_0000;
    private static final long DST_PA = 0x80_0000;
    private static final long SRC_VA = DATA_VA;
    private static final long DST_VA = DATA_VA + 0x100_0000;
    private final HostHarness h = new HostHarness();

    @AfterEach
    void tearDown() {
        h.close();
    }

    private void mapData(long bytes) {
        h.vm.mapRange(SRC_VA, SRC_PA, bytes, false, false);
        h.vm.mapRange(DST_VA, DST_PA, bytes, false, false);
    }

    private void pattern(long pa, long bytes) {
        for (long i = 0; i < bytes; i++) {
            h.vram.set(ValueLayout.JAVA_BYTE, pa + i, (byte) (i * 7 + 3));
        }
    }

    private void copy1d(long src, long dst, int bytes, int payload, int launch) {
        h.method(OFFSET_IN_UPPER, (int) (src >>> 32), (int) src, (int) (dst >>> 32), (int) dst);
        h.method(LINE_LENGTH_IN, bytes);
        h.method(SET_SEMAPHORE_A, (int) (SEM_VA >>> 32), (int) SEM_VA, payload);
        h.method(LAUNCH_DMA, launch);
    }

    @Test
    void shouldCopyReleaseSemaphoreAdvanceGpGetAndRaiseNonStall() {
        mapData(0x3000);
        pattern(SRC_PA, 0x3000);
        h.setUpChannel(0);
        copy1d(SRC_VA + 0x10, DST_VA + 0x20, 0x2800, 0xCAFE,
                launchCopy(false, SEMAPHORE_TYPE_RELEASE_ONE_WORD_SEMAPHORE, INTERRUPT_TYPE_NON_BLOCKING));
        h.submit(0);
        h.drain(0);
        assertEquals(-1, h.vram.asSlice(SRC_PA + 0x10, 0x2800).mismatch(h.vram.asSlice(DST_PA + 0x20, 0x2800)));
        assertEquals(0, h.vram.get(ValueLayout.JAVA_BYTE, DST_PA + 0x20 + 0x2800), "nothing past the end");
        assertEquals(0xCAFE, h.semaphore());
        assertEquals(1, h.read(0, NvHostReg.GP_GET));
        assertEquals(NvHostRegs.STATE_IDLE, h.read(0, NvHostReg.STATUS));
        assertEquals(java.util.List.of("nonstall:0"), h.irqs());
        assertEquals(0, h.errors.total());
    }

    @Test
    void shouldCopy2DPitchRegion() {
        mapData(0x4000);
        pattern(SRC_PA, 0x4000);
        h.setUpChannel(0);
        h.method(OFFSET_IN_UPPER, (int) (SRC_VA >>> 32), (int) SRC_VA, (int) (DST_VA >>> 32), (int) DST_VA);
        h.method(PITCH_IN, 0x400, 0x100, 48, 10); // PITCH_IN, PITCH_OUT, LINE_LENGTH_IN, LINE_COUNT
        h.method(SET_SEMAPHORE_A, (int) (SEM_VA >>> 32), (int) SEM_VA, 7);
        h.method(LAUNCH_DMA, launchCopy(true, SEMAPHORE_TYPE_RELEASE_ONE_WORD_SEMAPHORE, INTERRUPT_TYPE_NONE));
        h.submit(0);
        h.drain(0);
        for (int line = 0; line < 10; line++) {
            MemorySegment s = h.vram.asSlice(SRC_PA + line * 0x400L, 48);
            MemorySegment d = h.vram.asSlice(DST_PA + line * 0x100L, 48);
            assertEquals(-1, s.mismatch(d), "line " + line);
            assertEquals(0, h.vram.get(ValueLayout.JAVA_BYTE, DST_PA + line * 0x100L + 48), "gap after line " + line);
        }
        assertEquals(7, h.semaphore());
        assertTrue(h.irqs().isEmpty());
    }

    @Test
    void shouldFillWithRemapConstants() {
        mapData(0x2000);
        h.setUpChannel(0);
        h.method(OFFSET_OUT_UPPER, (int) (DST_VA >>> 32), (int) (DST_VA + 4));
        h.method(SET_REMAP_CONST_A, 0x11223344, 0x55667788, remapFill(2, 4));
        h.method(LINE_LENGTH_IN, 0x1F0); // elements of 8 bytes: 0xF80 bytes, crossing a page
        h.method(SET_SEMAPHORE_A, (int) (SEM_VA >>> 32), (int) SEM_VA, 9);
        h.method(LAUNCH_DMA, launchFill(false, SEMAPHORE_TYPE_RELEASE_ONE_WORD_SEMAPHORE, INTERRUPT_TYPE_NONE));
        h.submit(0);
        h.drain(0);
        for (long o = 0; o < 0xF80; o += 8) {
            assertEquals(0x11223344, h.vram.get(LE_INT, DST_PA + 4 + o), "A at " + o);
            assertEquals(0x55667788, h.vram.get(LE_INT, DST_PA + 8 + o), "B at " + o);
        }
        assertEquals(0, h.vram.get(LE_INT, DST_PA));
        assertEquals(0, h.vram.get(LE_INT, DST_PA + 4 + 0xF80));
        assertEquals(9, h.semaphore());
    }

    @Test
    void shouldCopyFromSystemMemoryThroughSysmemPtes() {
        long sysPa = 0x10_0000;
        h.vm.mapRange(SRC_VA, sysPa, 0x2000, true, false);
        h.vm.mapRange(DST_VA, DST_PA, 0x2000, false, false);
        for (int i = 0; i < 0x2000; i++) {
            h.sysmem.direct(sysPa + i, 1).set(ValueLayout.JAVA_BYTE, 0, (byte) (i ^ 0x5A));
        }
        h.setUpChannel(0);
        copy1d(SRC_VA, DST_VA, 0x2000, 3, launchCopy(false, SEMAPHORE_TYPE_RELEASE_FOUR_WORD_SEMAPHORE,
                INTERRUPT_TYPE_NONE));
        h.submit(0);
        h.drain(0);
        assertEquals(-1, h.sysmem.direct(sysPa, 0x2000).mismatch(h.vram.asSlice(DST_PA, 0x2000)));
        assertEquals(3, h.semaphore());
        long stamp = h.vram.get(ValueLayout.JAVA_LONG_UNALIGNED, SEM_PA + 8);
        assertTrue(stamp > 0 && stamp <= h.clock.nowNs(), "four-word semaphore timestamp " + stamp);
    }

    @Test
    void shouldFaultOnUnmappedDestinationWriteNothingAndStop() {
        h.vm.mapRange(SRC_VA, SRC_PA, 0x3000, false, false);
        h.vm.mapRange(DST_VA, DST_PA, 0x2000, false, false); // third page unmapped
        pattern(SRC_PA, 0x3000);
        h.setUpChannel(0);
        copy1d(SRC_VA, DST_VA, 0x3000, 1, launchCopy(false, SEMAPHORE_TYPE_RELEASE_ONE_WORD_SEMAPHORE,
                INTERRUPT_TYPE_NON_BLOCKING));
        h.submit(0);
        h.drain(0);
        assertTrue(h.vram.asSlice(DST_PA, 0x2000).mismatch(MemorySegment.ofArray(new byte[0x2000])) == -1,
                "nothing written before the faulting page");
        assertEquals(0, h.semaphore());
        int status = h.read(0, NvHostReg.STATUS);
        assertEquals(NvHostRegs.STATE_ERROR, NvHostRegs.STATE.get(status));
        assertEquals(NvHostRegs.ERROR_MMU_FAULT, NvHostRegs.ERROR.get(status));
        assertEquals(DST_VA + 0x2000, h.read(0, NvHostReg.FAULT_ADDR_LO) & 0xFFFF_FFFFL
                | (long) h.read(0, NvHostReg.FAULT_ADDR_HI) << 32);
        long info = h.read(0, NvHostReg.FAULT_INFO) & 0xFFFF_FFFFL;
        assertEquals(NvHostRegs.FAULT_TYPE_PTE, NvHostRegs.FAULT_TYPE.get(info), "invalid PTE");
        assertEquals(NvHostRegs.ACCESS_VIRT_WRITE, NvHostRegs.FAULT_ACCESS.get(info));
        assertEquals(NvHostRegs.FAULT_CLIENT_CE, NvHostRegs.FAULT_CLIENT.get(info));
        assertTrue(NvHostRegs.FAULT_VALID.isSet(info));
        assertEquals(java.util.List.of("stall:0"), h.irqs());
        assertEquals(0, h.read(0, NvHostReg.GP_GET));
        assertEquals(1, h.errors.count(dev.gpuemu.machine.GuestErrors.Kind.DEVICE));
    }
}
