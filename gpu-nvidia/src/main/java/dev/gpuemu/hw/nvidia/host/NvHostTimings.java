package dev.gpuemu.hw.nvidia.host;

/// The host's cost model, in simulated time (docs/devices/nvidia-ga102.md, "Timing model").
///
/// Bandwidths are calibrated to a GA102 as in the GeForce RTX 3090: 384-bit GDDR6X at 19.5 Gbps
/// = 936 GB/s peak (NVIDIA RTX 3090 specifications), on a PCIe 4.0 x16 link (16 GT/s x 16 lanes,
/// 128b/130b = 31.5 GB/s raw per direction; ~25 GB/s effective after packet overhead, the figure
/// host<->device copies are commonly measured at). Latencies are assumptions of the right order
/// (no public GA102 measurement was found); all of them are far below any driver timeout.
///
/// A copy of `b` bytes costs `LAUNCH_OVERHEAD_NS + ceil(b * 1000 / rate)` with the rate of its
/// direction; GPFIFO entries and methods add [#ENTRY_FETCH_NS] and [#METHOD_CYCLES] GPU cycles.
/// Channels do not contend for the copy engine in this model.
public final class NvHostTimings {
    private NvHostTimings() {
    }

    /// Peak VRAM bandwidth, bytes per µs (936 GB/s).
    public static final long VRAM_PEAK_BYTES_PER_US = 936_000;
    /// VRAM -> VRAM copy rate, copied bytes per µs: each byte is read and written (2x DRAM
    /// traffic) at ~85% of peak (assumed sustained efficiency): 936 x 0.85 / 2 ~ 400 GB/s.
    public static final long VRAM_COPY_BYTES_PER_US = 400_000;
    /// Constant fill of VRAM (REMAP with constants: writes only): ~85% of peak ~ 800 GB/s.
    public static final long VRAM_FILL_BYTES_PER_US = 800_000;
    /// Any transfer with one side in system memory: PCIe 4.0 x16 effective ~25 GB/s.
    public static final long PCIE_BYTES_PER_US = 25_000;
    /// System memory -> system memory: crosses the link twice, ~12.5 GB/s.
    public static final long SYS_TO_SYS_BYTES_PER_US = 12_500;

    /// Fixed cost of a `LAUNCH_DMA` (engine start, flush, semaphore release): 1 µs (assumption).
    public static final long LAUNCH_OVERHEAD_NS = 1_000;
    /// Cost of fetching one GPFIFO entry and its pushbuffer segment (one PCIe read round trip,
    /// ~1 µs; assumption).
    public static final long ENTRY_FETCH_NS = 1_000;
    /// Host decode cost per method, in GPU cycles (the PBDMA handles about one method per clock).
    public static final long METHOD_CYCLES = 1;

    /// Simulated ns to move `bytes` at `bytesPerUs`, rounded up.
    public static long transferNs(long bytes, long bytesPerUs) {
        if (bytes <= 0) {
            return 0;
        }
        if (bytes > Long.MAX_VALUE / 1000) {
            return Math.ceilDiv(bytes, bytesPerUs) * 1000; // beyond 9 PB: µs resolution is plenty
        }
        return Math.ceilDiv(bytes * 1000, bytesPerUs);
    }

    /// The rate of a transfer: `srcSystem`/`dstSystem` say which sides are in system memory;
    /// `fill` means no source is read.
    public static long rate(boolean fill, boolean srcSystem, boolean dstSystem) {
        if (fill) {
            return dstSystem ? PCIE_BYTES_PER_US : VRAM_FILL_BYTES_PER_US;
        }
        if (srcSystem && dstSystem) {
            return SYS_TO_SYS_BYTES_PER_US;
        }
        return srcSystem || dstSystem ? PCIE_BYTES_PER_US : VRAM_COPY_BYTES_PER_US;
    }
}
