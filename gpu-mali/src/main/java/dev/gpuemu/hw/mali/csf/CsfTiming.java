package dev.gpuemu.hw.mali.csf;

import dev.gpuemu.regs.mali.MaliRegs;

/// The CSF's cost model in simulated time: how long the MCU takes to boot and to answer a
/// doorbell, what a command-stream instruction costs, and how long a built-in compute job
/// runs. A job's simulated duration follows from this model alone, never from host time:
///
/// ```
/// duration = dispatch + max(trafficBytes / dramBytesPerSecond, flops / fp32FlopsPerSecond)
/// ```
///
/// The default [#G610_MC4_RK3588] is calibrated to a Mali-G610 MC4 at the RK3588's 1 GHz
/// (docs/devices/mali-g610.md, "Timing", gives the sources):
/// - 4 shader cores (`SHADER_PRESENT = 0x50005`), 64 FP32 FMA per core per cycle (the
///   Valhall "2+2" execution engine of the G710/G610 core; the G510's 1+2 has 48), so
///   4 x 64 x 2 flops x 1 GHz = 512 GFLOPS, the published peak of the G610 MC4 at 1 GHz;
/// - DRAM: the RK3588's four 16-bit LPDDR4X-4266 channels peak at 34.1 GB/s; the GPU is
///   modelled at 60 % of it, 20.5 GB/s of traffic (read + write), in line with the 20-22 GB/s
///   copy figures measured on RK3588 boards; a copy moves each byte twice, so it runs at
///   10.2 GB/s;
/// - dispatch: 4000 GPU cycles (4 µs) per job from `RUN_COMPUTE` to the completion the stream
///   sees (an assumption: the CSF's job setup, shader-core launch and completion; the driver's
///   own submit cost is not part of it).
///
/// @param gpuHz                GPU clock in Hz
/// @param shaderCores          shader cores
/// @param fmaPerCorePerCycle   FP32 fused multiply-adds per core per cycle
/// @param dramBytesPerSecond   memory traffic (read + write bytes) per second available to jobs
/// @param dispatchCycles       GPU cycles of fixed cost per compute job
/// @param instrCycles          GPU cycles per command-stream instruction
/// @param mcuBootNs            from `MCU_CONTROL = AUTO` to the boot descriptor check
/// @param mcuReactNs           from a doorbell to the firmware's acknowledgement
/// @param mcuStopNs            from `MCU_CONTROL = DISABLE` to `MCU_STATUS = DISABLED`
/// @param syncPollNs           period at which blocked `SYNC_WAIT`s re-read memory
///
/// ## Invariants
/// Every rate and time is positive.
public record CsfTiming(long gpuHz, int shaderCores, int fmaPerCorePerCycle, long dramBytesPerSecond,
        long dispatchCycles, long instrCycles, long mcuBootNs, long mcuReactNs, long mcuStopNs, long syncPollNs) {

    /// RK3588 LPDDR4X: 4 channels x 16 bit x 4266 MT/s / 8.
    public static final long RK3588_DRAM_PEAK_BYTES_PER_SECOND = 4L * 16 * 4_266_000_000L / 8;
    /// Share of the DRAM peak the model gives the GPU, in percent.
    public static final int DRAM_EFFICIENCY_PERCENT = 60;

    /// The Mali-G610 MC4 of the RK3588 at 1 GHz.
    public static final CsfTiming G610_MC4_RK3588 = new CsfTiming(MaliRegs.RK3588_GPU_HZ, 4, 64,
            RK3588_DRAM_PEAK_BYTES_PER_SECOND * DRAM_EFFICIENCY_PERCENT / 100, 4000, 4,
            250_000, 2_000, 10_000, 100_000);

    public CsfTiming {
        if (gpuHz <= 0 || shaderCores <= 0 || fmaPerCorePerCycle <= 0 || dramBytesPerSecond <= 0 || dispatchCycles < 0
                || instrCycles <= 0 || mcuBootNs <= 0 || mcuReactNs <= 0 || mcuStopNs <= 0 || syncPollNs <= 0) {
            throw new IllegalArgumentException("timing values must be positive");
        }
    }

    /// Peak FP32 rate: cores x FMA/cycle x 2 flops x clock.
    public double fp32FlopsPerSecond() {
        return (double) shaderCores * fmaPerCorePerCycle * 2 * gpuHz;
    }

    /// Bytes a `COPY` job moves per second (each byte is read and written).
    public double copyBytesPerSecond() {
        return dramBytesPerSecond / 2.0;
    }

    /// Bytes a `FILL` job writes per second.
    public double fillBytesPerSecond() {
        return dramBytesPerSecond;
    }

    /// Simulated ns of a job moving `trafficBytes` and computing `flops`.
    public long jobNs(long trafficBytes, long flops) {
        double memNs = trafficBytes * 1e9 / dramBytesPerSecond;
        double aluNs = flops * 1e9 / fp32FlopsPerSecond();
        double ns = cyclesToNs(dispatchCycles) + Math.max(memNs, aluNs);
        return (long) Math.min(ns, 1e15); // a guest's absurd size still ends (in 11.6 simulated days)
    }

    /// `COPY` of `bytes`.
    public long copyNs(long bytes) {
        return jobNs(2 * Math.max(0, bytes), 0);
    }

    /// `FILL` of `bytes`.
    public long fillNs(long bytes) {
        return jobNs(Math.max(0, bytes), 0);
    }

    /// `SAXPY` over `n` floats: reads x and y, writes y (12 bytes), one FMA (2 flops) each.
    public long saxpyNs(long n) {
        return jobNs(12 * Math.max(0, n), 2 * Math.max(0, n));
    }

    /// `FMA_LOOP` over `n` floats, `iterations` FMAs (2 flops) each; reads and writes x once.
    public long fmaLoopNs(long n, long iterations) {
        return jobNs(8 * Math.max(0, n), 2 * Math.max(0, n) * Math.max(0, iterations));
    }

    /// `DETILE` of a surface of `bytes` (read tiled, write linear).
    public long detileNs(long bytes) {
        return jobNs(2 * Math.max(0, bytes), 0);
    }

    /// Simulated ns of `cycles` GPU cycles.
    public long cyclesToNs(long cycles) {
        return cycles >= 0 && cycles < Long.MAX_VALUE / 1_000_000_000L
                ? cycles * 1_000_000_000L / gpuHz
                : (long) Math.min(cycles * 1e9 / gpuHz, 1e15);
    }
}
