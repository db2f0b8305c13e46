package dev.gpuemu.machine;

import dev.gpuemu.machine.irq.InterruptController;
import dev.gpuemu.machine.mem.SystemMemory;
import dev.gpuemu.machine.time.SeedSequence;
import dev.gpuemu.machine.time.SimClock;
import java.util.Objects;

/// What a device model may reach when it is built: simulated time, the guest-error counter,
/// system memory (for its DMA port), the interrupt controller (for its lines) and the machine's
/// seed sequence. Nothing of the kernel.
///
/// ## Thread safety
/// Immutable.
public record HwContext(SimClock clock, GuestErrors guestErrors, SystemMemory memory, InterruptController interrupts,
                        SeedSequence seeds) {
    public HwContext {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(guestErrors, "guestErrors");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(interrupts, "interrupts");
        Objects.requireNonNull(seeds, "seeds");
    }
}
