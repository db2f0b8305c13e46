package dev.gpuemu.user.nova;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gpuemu.regs.nvidia.Clc56f;
import dev.gpuemu.regs.nvidia.Clc6b5;
import dev.gpuemu.regs.nvidia.PushbufferHeader;
import org.junit.jupiter.api.Test;

/// Userspace's copy of the class headers agrees with the register data the device decodes with.
class NvPushTest {
    @Test
    void shouldMatchTheSharedClassHeaders() {
        assertEquals(Clc6b5.AMPERE_DMA_COPY_A, NvPush.AMPERE_DMA_COPY_A);
        assertEquals(Clc56f.SET_OBJECT, NvPush.SET_OBJECT);
        assertEquals(Clc6b5.SET_SEMAPHORE_A, NvPush.SET_SEMAPHORE_A);
        assertEquals(Clc6b5.LAUNCH_DMA, NvPush.LAUNCH_DMA);
        assertEquals(Clc6b5.OFFSET_IN_UPPER, NvPush.OFFSET_IN_UPPER);
        assertEquals(Clc6b5.LINE_LENGTH_IN, NvPush.LINE_LENGTH_IN);
        assertEquals(Clc6b5.launchCopy(false, Clc6b5.SEMAPHORE_TYPE_RELEASE_ONE_WORD_SEMAPHORE,
                Clc6b5.INTERRUPT_TYPE_NON_BLOCKING), NvPush.LAUNCH_COPY_1D_SEMAPHORE_INTERRUPT);
        for (int sub = 0; sub < 8; sub++) {
            assertEquals(PushbufferHeader.incrementing(sub, 0x418, 3), NvPush.incrementing(sub, 0x418, 3));
        }
        assertThrows(IllegalArgumentException.class, () -> NvPush.incrementing(8, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> NvPush.incrementing(0, 2, 1));
    }

    @Test
    void shouldEncodeACopyAsSetObjectThenFourMethodGroups() {
        int[] w = new NvPush().setObject().copy(0x1_0000_2000L, 0x3000, 64, 0x4000, 7).words();
        assertArrayEquals(new int[] {
                PushbufferHeader.incrementing(4, Clc56f.SET_OBJECT, 1), Clc6b5.AMPERE_DMA_COPY_A,
                PushbufferHeader.incrementing(4, Clc6b5.OFFSET_IN_UPPER, 4), 1, 0x2000, 0, 0x3000,
                PushbufferHeader.incrementing(4, Clc6b5.LINE_LENGTH_IN, 1), 64,
                PushbufferHeader.incrementing(4, Clc6b5.SET_SEMAPHORE_A, 3), 0, 0x4000, 7,
                PushbufferHeader.incrementing(4, Clc6b5.LAUNCH_DMA, 1), NvPush.LAUNCH_COPY_1D_SEMAPHORE_INTERRUPT},
                w);
    }
}
