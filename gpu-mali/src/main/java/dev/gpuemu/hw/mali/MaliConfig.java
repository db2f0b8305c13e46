package dev.gpuemu.hw.mali;

import dev.gpuemu.regs.mali.MaliReg;
import dev.gpuemu.regs.mali.MaliRegs;

/// Build-time configuration of one emulated Mali-G610: its GPU clock and which shader cores are
/// present (what `SHADER_PRESENT` reads). Everything else is fixed G610 data ([MaliReg]).
///
/// ## Invariants
/// `gpuClockHz > 0`; `shaderPresent != 0`.
///
/// @param gpuClockHz    the GPU core clock (`CYCLE_COUNT` rate, the CSF's cost model clock),
///                      default `MaliRegs.RK3588_GPU_HZ`
/// @param shaderPresent the `SHADER_PRESENT` mask, default 0x50005 (four cores, RK3588's MC4)
public record MaliConfig(long gpuClockHz, long shaderPresent) {
    /// The RK3588's G610 MC4 at 1 GHz.
    public static final MaliConfig RK3588 = new MaliConfig(MaliRegs.RK3588_GPU_HZ, MaliReg.SHADER_PRESENT.resetValue());

    public MaliConfig {
        if (gpuClockHz <= 0) {
            throw new IllegalArgumentException("gpuClockHz must be > 0: " + gpuClockHz);
        }
        if (shaderPresent == 0) {
            throw new IllegalArgumentException("a GPU needs at least one shader core");
        }
    }

    /// The RK3588 configuration ([#RK3588]).
    public static MaliConfig defaults() {
        return RK3588;
    }

    /// Number of shader cores (bits set in [#shaderPresent]).
    public int shaderCores() {
        return Long.bitCount(shaderPresent);
    }

    /// The same configuration with another GPU clock.
    public MaliConfig withGpuClockHz(long hz) {
        return new MaliConfig(hz, shaderPresent);
    }

    /// The same configuration with another shader-core mask.
    public MaliConfig withShaderPresent(long mask) {
        return new MaliConfig(gpuClockHz, mask);
    }
}
