package dev.gpuemu.hw.nvidia.falcon;

import dev.gpuemu.machine.GuestErrors;
import dev.gpuemu.machine.mem.DmaPort;
import dev.gpuemu.machine.time.ClockDomain;
import dev.gpuemu.machine.time.SimClock;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/// What a [Falcon] reaches of the GA102 around it.
///
/// @param name        the falcon's name in guest-error reports (`ga102 0000:01:00.0 gsp`)
/// @param falconId    `FalconFwFormat.FALCON_GSP` or `FALCON_SEC2` (images may name their falcon)
/// @param clock       simulated time
/// @param domain      the falcon clock (instruction and DMA costs)
/// @param errors      guest-error counter
/// @param deviceLock  the BAR0 device lock; clock-thread events take it
/// @param sysmem      bus-master DMA for `FBIF_TRANSCFG` targets in system memory
/// @param vram        the VRAM for the `LOCAL_FB` target
/// @param scratch     `NV_PBUS_SW_SCRATCH[index] |= bits` (the firmware's [FalconFwFormat] `SCRATCH_OR`)
/// @param scrubNs     simulated time memory scrubbing takes after a reset
public record FalconPorts(String name, int falconId, SimClock clock, ClockDomain domain, GuestErrors errors,
                          ReentrantLock deviceLock, DmaPort sysmem, MemorySegment vram, ScratchPort scratch,
                          long scrubNs) {
    public FalconPorts {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(errors, "errors");
        Objects.requireNonNull(deviceLock, "deviceLock");
        Objects.requireNonNull(sysmem, "sysmem");
        Objects.requireNonNull(vram, "vram");
        Objects.requireNonNull(scratch, "scratch");
        if (scrubNs < 0) {
            throw new IllegalArgumentException("scrubNs < 0");
        }
    }

    /// ORs bits into a PBUS scratch register (called with the device lock held).
    @FunctionalInterface
    public interface ScratchPort {
        void or(int index, int bits);
    }
}
