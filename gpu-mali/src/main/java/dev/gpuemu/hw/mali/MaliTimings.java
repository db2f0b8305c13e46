package dev.gpuemu.hw.mali;

/// The delays of the GPU control block and the MMU, in simulated time (docs/devices/mali-g610.md,
/// "Reset, power and flush delays"). They are of the order real G610s show (reset completes in
/// tens of µs, a power domain switches in a few µs, a full L2 clean walks every line once) and
/// short next to every driver timeout (Tyr sleeps 100 ms, panthor polls up to 20 ms).
public final class MaliTimings {
    private MaliTimings() {
    }

    /// `GPU_CMD` SOFT_RESET until `RESET_COMPLETED`.
    public static final long SOFT_RESET_NS = 20_000;
    /// `GPU_CMD` HARD_RESET until `RESET_COMPLETED`.
    public static final long HARD_RESET_NS = 100_000;
    /// L2 power-on or power-off transition (`L2_PWRTRANS` set for this long).
    public static final long L2_POWER_NS = 10_000;
    /// Shader-core or tiler power transition (after the L2 is up when it had to come up first).
    public static final long CORE_POWER_NS = 5_000;
    /// Fixed cost of a `FLUSH_CACHES` command, in GPU cycles.
    public static final long FLUSH_SETUP_CYCLES = 500;
    /// Per-line cost of a `FLUSH_CACHES` command, in GPU cycles: the L2 (256 KiB of 64-byte lines,
    /// from `L2_FEATURES`) is walked at one line per cycle, so 4096 + 500 cycles = 4.6 µs at 1 GHz.
    public static final long FLUSH_CYCLES_PER_LINE = 1;
    /// `AS_STATUS.ACTIVE` stays set this many GPU cycles after an `AS_COMMAND`.
    public static final long AS_COMMAND_CYCLES = 1_000;
}
