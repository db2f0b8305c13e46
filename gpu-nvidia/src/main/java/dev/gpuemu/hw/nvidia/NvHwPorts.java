package dev.gpuemu.hw.nvidia;

import dev.gpuemu.machine.GuestErrors;
import dev.gpuemu.machine.mem.DmaPort;
import dev.gpuemu.machine.time.ClockDomain;
import dev.gpuemu.machine.time.SimClock;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/// Everything the host block (channels, copy engine, GMMU) gets from the GA102 top when the top
/// builds it through its `Function<NvHwPorts, HostEngine>`.
///
/// @param name       the device's name (guest-error sources, e.g. `ga102 0000:01:00.0`)
/// @param vram       the whole VRAM (BAR1 backs onto it); offset = VRAM physical address
/// @param sysmem     bus-master DMA into system memory (honours bus mastering and the DMA mask)
/// @param intr       the interrupt tree
/// @param clock      simulated time (schedule work, never sleep)
/// @param gpuClock   the GPU's clock domain (cycles to ns)
/// @param errors     where guest mistakes are counted
/// @param deviceLock the BAR0 region's device lock; clock-thread events take it before touching
///                   device state
///
/// ## Thread safety
/// Immutable; the objects it hands out are used under `deviceLock`.
public record NvHwPorts(String name, MemorySegment vram, DmaPort sysmem, NvInterruptPort intr, SimClock clock,
                        ClockDomain gpuClock, GuestErrors errors, ReentrantLock deviceLock) {
    public NvHwPorts {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(vram, "vram");
        Objects.requireNonNull(sysmem, "sysmem");
        Objects.requireNonNull(intr, "intr");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(gpuClock, "gpuClock");
        Objects.requireNonNull(errors, "errors");
        Objects.requireNonNull(deviceLock, "deviceLock");
    }
}
