package dev.gpuemu.hw.nvidia.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gpuemu.regs.nvidia.Clc6b5;
import dev.gpuemu.regs.nvidia.GpFifoEntry;
import dev.gpuemu.regs.nvidia.NvHostReg;
import dev.gpuemu.regs.nvidia.PushbufferHeader;
import org.junit.jupiter.api.Test;

/// The driver-facing formats encode at the bit positions of clc56f.h / clc6b5.h and decode back.
class NvHostFormatsTest {
    @Test
    void shouldEncodeGpFifoEntryAtClc56fPositions() {
        long e = GpFifoEntry.encode(0xAB_1234_5678L, 0x15);
        assertEquals(0x1234_5678, GpFifoEntry.entry0(e)); // GET[31:2] keeps the dword address
        assertEquals(0xAB | 0x15 << 10, GpFifoEntry.entry1(e)); // GET_HI[7:0], LENGTH[30:10]
        assertEquals(0xAB_1234_5678L, GpFifoEntry.address(e));
        assertEquals(0x15, GpFifoEntry.length(e));
        assertThrows(IllegalArgumentException.class, () -> GpFifoEntry.encode(0x1002, 1));
        assertThrows(IllegalArgumentException.class, () -> GpFifoEntry.encode(1L << 40, 1));
    }

    @Test
    void shouldEncodeMethodHeadersAtClc56fPositions() {
        int h = PushbufferHeader.incrementing(4, Clc6b5.OFFSET_IN_UPPER, 8);
        assertEquals(0x2008_8100, h); // SEC_OP 1, COUNT 8, SUBCHANNEL 4, ADDRESS 0x400 >> 2
        assertEquals(Clc6b5.OFFSET_IN_UPPER, PushbufferHeader.method(h));
        assertEquals(4, PushbufferHeader.subchannel(h));
        assertEquals(8, PushbufferHeader.count(h));
        assertEquals(PushbufferHeader.SEC_OP_IMMD_DATA_METHOD,
                PushbufferHeader.secOp(PushbufferHeader.immediate(0, 0x20, 1)));
        assertEquals(0xE000_0000, PushbufferHeader.endSegment());
        assertThrows(IllegalArgumentException.class, () -> PushbufferHeader.incrementing(8, 0x100, 1));
    }

    @Test
    void shouldLayOutChannelWindowInsideBar0Window() {
        assertEquals(NvHostReg.CHANNEL_BASE + 63 * 0x40 + 0x3C, NvHostReg.offset(63, NvHostReg.ERROR_INFO));
        assertEquals(NvHostReg.GP_PUT, NvHostReg.atOrNull(0x0C));
        assertEquals(16, NvHostReg.MAP.size());
        assertEquals(true, NvHostReg.offset(63, NvHostReg.ERROR_INFO) < dev.gpuemu.regs.nvidia.NvBar0Map.HOST_WINDOW_SIZE);
    }

    @Test
    void shouldEncodeFillLaunchAndRemap() {
        int launch = Clc6b5.launchFill(false, Clc6b5.SEMAPHORE_TYPE_RELEASE_ONE_WORD_SEMAPHORE,
                Clc6b5.INTERRUPT_TYPE_NON_BLOCKING);
        assertEquals(0x586 | 1 << 3 | 2 << 5, launch); // NON_PIPELINED, FLUSH, PITCH/PITCH, REMAP
        assertEquals(4 | 5 << 4 | 6 << 8 | 6 << 12 | 3 << 16 | 1 << 20 | 1 << 24, Clc6b5.remapFill(2, 4));
        assertEquals(8, CopyEngine.elementSize(Clc6b5.remapFill(2, 4)));
        assertEquals(-1, CopyEngine.elementSize(0)); // DST_X = SRC_X: reads the source
    }
}
