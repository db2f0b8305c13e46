package dev.gpuemu.hw.mali.csf;

import dev.gpuemu.hw.mali.GpuControlPort;
import dev.gpuemu.hw.mali.GpuMemory;
import dev.gpuemu.hw.mali.IrqBlock;
import dev.gpuemu.machine.GuestErrors;
import dev.gpuemu.machine.time.ClockDomain;
import dev.gpuemu.machine.time.SimClock;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntUnaryOperator;

/// What the CSF needs from the rest of the G610: the MMU's view of memory, the JOB and GPU
/// interrupt blocks, the GPU control port, simulated time and the device lock.
/// [MaliCsf#factory()] builds one from the device top's `MaliHwPorts`; tests build one over
/// fakes.
///
/// @param clock        the machine's simulated clock (events run on its thread)
/// @param gpuClock     the GPU clock domain (cycle counts, `STORE_STATE` cycle counter)
/// @param errors       the machine's guest-error counter
/// @param memory       address-space translation and physical segments (the MMU)
/// @param jobIrq       the `JOB_IRQ` block (GLOBAL_IF and per-CSG bits)
/// @param gpuIrq       the `GPU_IRQ` block (`MCU_STATUS_CHANGED`)
/// @param deviceLock   the lock the register handlers hold; clock events take it
/// @param faultStatus  `AS_FAULTSTATUS` of an address space after [GpuMemory#translate]
///                     answered [GpuMemory#FAULT]: bits [7:0] are the exception type the
///                     faulting stream reports in its `CS_FATAL`
///
/// ## Thread safety
/// Immutable holder; the parts have their own rules (the IRQ blocks under `deviceLock`).
public record CsfPorts(SimClock clock, ClockDomain gpuClock, GuestErrors errors, GpuMemory memory,
        IrqBlock jobIrq, IrqBlock gpuIrq, ReentrantLock deviceLock, IntUnaryOperator faultStatus, GpuControlPort gpu) {
    public CsfPorts {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(gpuClock, "gpuClock");
        Objects.requireNonNull(errors, "errors");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(jobIrq, "jobIrq");
        Objects.requireNonNull(gpuIrq, "gpuIrq");
        Objects.requireNonNull(deviceLock, "deviceLock");
        Objects.requireNonNull(faultStatus, "faultStatus");
        Objects.requireNonNull(gpu, "gpu");
    }
}
