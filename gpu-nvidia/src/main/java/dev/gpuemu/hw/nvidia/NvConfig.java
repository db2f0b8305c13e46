package dev.gpuemu.hw.nvidia;

import dev.gpuemu.regs.nvidia.Chipset;
import dev.gpuemu.regs.nvidia.NvRegs;
import java.util.Objects;

/// Build-time configuration of one emulated NVIDIA GPU ([Ga102] models every chipset of the
/// table; the name is the default's).
///
/// Falcon firmware is not part of the configuration: the driver DMAs it from system memory into
/// the falcons, as nova-core's falcon loader does.
///
/// ## Invariants
/// `vramBytes` is a power of two of at least 2 MiB that `NV_PFB_PRI_MMU_LOCAL_MEMORY_RANGE` can
/// encode; `revision` fits 8 bits; delays are >= 0; `gpuClockHz > 0`.
///
/// @param chipset          the chip (BOOT_0, PCI device id, HAL), default GA102
/// @param revision         BOOT_0 revision byte and PCI revision id, default 0xA1 ("a.1")
/// @param vramBytes        VRAM (BAR1) size, default 256 MiB
/// @param gfwBootDelayNs   simulated time from reset to GFW boot completion, default [#DEFAULT_GFW_BOOT_DELAY_NS]
/// @param falconScrubNs    simulated time of falcon memory scrubbing, default [#DEFAULT_FALCON_SCRUB_NS]
/// @param gpuClockHz       the GPU (and falcon) clock, default 1.5 GHz
public record NvConfig(Chipset chipset, int revision, long vramBytes, long gfwBootDelayNs, long falconScrubNs,
                       long gpuClockHz) {
    /// GFW boot (devinit run by the VBIOS on the GPU's own microcontrollers) takes tens of
    /// milliseconds on real boards; 20 ms of simulated time.
    public static final long DEFAULT_GFW_BOOT_DELAY_NS = 20_000_000L;
    /// Falcon IMEM/DMEM scrubbing: 10 µs of simulated time.
    public static final long DEFAULT_FALCON_SCRUB_NS = 10_000L;
    public static final long DEFAULT_GPU_CLOCK_HZ = 1_500_000_000L;

    public NvConfig {
        Objects.requireNonNull(chipset, "chipset");
        if (revision < 0 || revision > 0xFF) {
            throw new IllegalArgumentException("revision must fit 8 bits: " + revision);
        }
        if (vramBytes < (2L << 20) || Long.bitCount(vramBytes) != 1 || !NvRegs.localMemoryRangeEncodable(vramBytes)) {
            throw new IllegalArgumentException("VRAM must be a power of two >= 2 MiB: " + vramBytes);
        }
        if (gfwBootDelayNs < 0 || falconScrubNs < 0) {
            throw new IllegalArgumentException("delays must be >= 0");
        }
        if (gpuClockHz <= 0) {
            throw new IllegalArgumentException("gpuClockHz must be > 0");
        }
    }

    /// GA102 a1, 256 MiB VRAM, default delays and clock.
    public static NvConfig defaults() {
        return new NvConfig(Chipset.GA102, 0xA1, Chipset.DEFAULT_VRAM_BYTES, DEFAULT_GFW_BOOT_DELAY_NS,
                DEFAULT_FALCON_SCRUB_NS, DEFAULT_GPU_CLOCK_HZ);
    }

    public NvConfig withChipset(Chipset c) {
        return new NvConfig(c, revision, vramBytes, gfwBootDelayNs, falconScrubNs, gpuClockHz);
    }

    public NvConfig withRevision(int r) {
        return new NvConfig(chipset, r, vramBytes, gfwBootDelayNs, falconScrubNs, gpuClockHz);
    }

    public NvConfig withVramBytes(long bytes) {
        return new NvConfig(chipset, revision, bytes, gfwBootDelayNs, falconScrubNs, gpuClockHz);
    }

    public NvConfig withGfwBootDelayNs(long ns) {
        return new NvConfig(chipset, revision, vramBytes, ns, falconScrubNs, gpuClockHz);
    }

    public NvConfig withFalconScrubNs(long ns) {
        return new NvConfig(chipset, revision, vramBytes, gfwBootDelayNs, ns, gpuClockHz);
    }

    public NvConfig withGpuClockHz(long hz) {
        return new NvConfig(chipset, revision, vramBytes, gfwBootDelayNs, falconScrubNs, hz);
    }
}
