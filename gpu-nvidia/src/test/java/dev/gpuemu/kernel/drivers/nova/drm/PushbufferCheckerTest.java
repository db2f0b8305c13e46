package dev.gpuemu.kernel.drivers.nova.drm;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.nova.NovaGpuemu;
import dev.gpuemu.regs.nvidia.Clc56f;
import dev.gpuemu.regs.nvidia.Clc6b5;
import dev.gpuemu.regs.nvidia.PushbufferHeader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/// The submit checker accepts the pushbuffers userspace is meant to write and refuses (EINVAL)
/// every way of reaching physical memory or the kernel's VA range.
class PushbufferCheckerTest {
    private static final int SUB = 4;
    private static final long END = NovaGpuemu.NOVA_GPUEMU_VA_END;

    private final List<Integer> pb = new ArrayList<>();

    private void inc(int method, int... data) {
        pb.add(PushbufferHeader.incrementing(SUB, method, data.length));
        for (int d : data) {
            pb.add(d);
        }
    }

    private void copy(long src, long dst, int bytes, int launch) {
        inc(Clc6b5.OFFSET_IN_UPPER, (int) (src >>> 32), (int) src, (int) (dst >>> 32), (int) dst);
        inc(Clc6b5.LINE_LENGTH_IN, bytes);
        inc(Clc6b5.SET_SEMAPHORE_A, 0, 0x20_0000, 1);
        inc(Clc6b5.LAUNCH_DMA, launch);
    }

    private static int launch() {
        return Clc6b5.launchCopy(false, Clc6b5.SEMAPHORE_TYPE_RELEASE_ONE_WORD_SEMAPHORE,
                Clc6b5.INTERRUPT_TYPE_NON_BLOCKING);
    }

    private void check() throws KernelException {
        PushbufferChecker.check(pb::get, pb.size());
    }

    private String refused() {
        KernelException e = assertThrows(KernelException.class, this::check);
        assertEquals(Errno.EINVAL, e.errno());
        return e.getMessage();
    }

    @Test
    void shouldAcceptAVirtualCopyWithItsSemaphoreInsideTheUserRange() {
        pb.add(PushbufferHeader.incrementing(SUB, Clc56f.SET_OBJECT, 1));
        pb.add(Clc6b5.AMPERE_DMA_COPY_A);
        copy(0x10_0000, 0x20_0000, 4096, launch());
        copy(END - 8192, END - 4096, 4096, launch());
        assertDoesNotThrow(this::check);
    }

    @Test
    void shouldRefuseAPhysicalSourceOrDestination() {
        copy(0x10_0000, 0x20_0000, 4096, launch() | 1 << 12);
        assertTrue(refused().contains("PHYSICAL"));
        pb.clear();
        copy(0x10_0000, 0x20_0000, 4096, launch() | 1 << 13);
        refused();
    }

    @Test
    void shouldRefuseAPhysicalLaunchHiddenInAnImmediateHeader() {
        copy(0x10_0000, 0x20_0000, 4096, launch());
        pb.add(PushbufferHeader.immediate(SUB, Clc6b5.LAUNCH_DMA, 1 << 12 | 2));
        refused();
    }

    @Test
    void shouldRefuseACopyReachingTheKernelRange() {
        copy(0x10_0000, END - 4096, 4097, launch());
        assertTrue(refused().contains("destination"));
        pb.clear();
        copy(END, 0x20_0000, 16, launch());
        assertTrue(refused().contains("source"));
    }

    @Test
    void shouldRefuseA2DCopyWhosePitchCarriesItPastTheEnd() {
        inc(Clc6b5.OFFSET_IN_UPPER, 0, 0x10_0000, 0, 0x20_0000);
        inc(Clc6b5.PITCH_IN, 0x1000, 0x7fff_ffff, 0x100, 0x10_0000);
        inc(Clc6b5.LAUNCH_DMA, Clc6b5.launchCopy(true, Clc6b5.SEMAPHORE_TYPE_NONE, Clc6b5.INTERRUPT_TYPE_NONE));
        assertTrue(refused().contains("destination"));
    }

    @Test
    void shouldRefuseALaunchRelyingOnStateFromAnEarlierSubmit() {
        inc(Clc6b5.LINE_LENGTH_IN, 16);
        inc(Clc6b5.LAUNCH_DMA, Clc6b5.launchCopy(false, Clc6b5.SEMAPHORE_TYPE_NONE, Clc6b5.INTERRUPT_TYPE_NONE));
        assertTrue(refused().contains("before method"));
    }

    @Test
    void shouldBoundAFillByItsRemapElementSize() {
        inc(Clc6b5.OFFSET_OUT_UPPER, (int) ((END - 4096) >>> 32), (int) (END - 4096));
        inc(Clc6b5.SET_REMAP_CONST_A, 1, 2, Clc6b5.remapFill(4, 4));
        inc(Clc6b5.LINE_LENGTH_IN, 256);
        inc(Clc6b5.LAUNCH_DMA, Clc6b5.launchFill(false, Clc6b5.SEMAPHORE_TYPE_NONE, Clc6b5.INTERRUPT_TYPE_NONE));
        assertDoesNotThrow(this::check);
        pb.set(pb.size() - 3, 257); // one 16-byte element past the end
        refused();
    }

    @Test
    void shouldRefuseAHostSemaphoreInTheKernelRangeOrWithoutAnAddress() {
        pb.add(PushbufferHeader.incrementing(0, Clc56f.SEM_EXECUTE, 1));
        pb.add(1);
        refused();
        pb.clear();
        pb.add(PushbufferHeader.incrementing(0, Clc56f.SEM_ADDR_LO, 2));
        pb.add(0);
        pb.add((int) (END >>> 32));
        pb.add(PushbufferHeader.incrementing(0, Clc56f.SEM_EXECUTE, 1));
        pb.add(1);
        assertTrue(refused().contains("host semaphore"));
    }

    @Test
    void shouldRefuseMethodDataPastTheEndAndReservedHeaderForms() {
        pb.add(PushbufferHeader.incrementing(SUB, Clc6b5.OFFSET_IN_UPPER, 4));
        pb.add(0);
        assertTrue(refused().contains("past the end"));
        pb.clear();
        pb.add(6 << 29);
        refused();
    }

    @Test
    void shouldStopAtTheEndOfSegmentHeader() {
        pb.add(PushbufferHeader.endSegment());
        pb.add(0xDEAD_BEEF); // never decoded
        assertDoesNotThrow(this::check);
    }
}
