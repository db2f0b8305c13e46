package dev.gpuemu.hw.mali;

import dev.gpuemu.machine.GuestErrors;
import dev.gpuemu.machine.mem.SystemMemory;
import dev.gpuemu.machine.time.ClockDomain;
import dev.gpuemu.machine.time.SimClock;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/// Everything the command stream frontend (built by `dev.gpuemu.hw.mali.csf`) gets from the rest
/// of the G610 model when [MaliG610] builds it through its `Function<MaliHwPorts, CsfFrontend>`.
///
/// @param name       the device's name (for guest-error sources, e.g. `mali fb000000.gpu`)
/// @param config     the GPU's configuration (clock, shader cores)
/// @param mmu        GPU virtual memory: translation through the MMU's address spaces
/// @param jobIrq     the JOB interrupt block (bit 31 global interface, bit n CSG slot n)
/// @param gpuIrq     the GPU interrupt block (e.g. `MCU_STATUS_CHANGED`, `FAULT`)
/// @param gpu        power state, cache flushes and `GPU_STATUS.ACTIVE`
/// @param clock      simulated time (schedule work, never sleep)
/// @param gpuClock   the GPU core clock domain (cycles to ns)
/// @param errors     where guest mistakes are counted
/// @param memory     system RAM (the MCU's firmware loading and the MMU's `physical`)
/// @param deviceLock the MMIO region's device lock: MMIO handlers hold it; clock-thread events of
///                   the CSF take it before touching any device state (IRQ blocks, interfaces)
///
/// ## Thread safety
/// Immutable; the objects it hands out are used under `deviceLock`.
public record MaliHwPorts(String name, MaliConfig config, GpuMemory mmu, IrqBlock jobIrq, IrqBlock gpuIrq,
                          GpuControlPort gpu, SimClock clock, ClockDomain gpuClock, GuestErrors errors,
                          SystemMemory memory, ReentrantLock deviceLock) {
    public MaliHwPorts {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(mmu, "mmu");
        Objects.requireNonNull(jobIrq, "jobIrq");
        Objects.requireNonNull(gpuIrq, "gpuIrq");
        Objects.requireNonNull(gpu, "gpu");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(gpuClock, "gpuClock");
        Objects.requireNonNull(errors, "errors");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(deviceLock, "deviceLock");
    }
}
