package dev.gpuemu.hw.mali;

/// A snapshot of the G610's externally visible state, for tests and diagnostics (Firecracker's
/// `*State` structs): interrupt blocks, power domains, reset and MCU status, flush id.
///
/// ## Thread safety
/// Immutable; taken under the device lock by [MaliG610#state()].
public record MaliState(int gpuIrqRawstat, int gpuIrqMask, int jobIrqRawstat, int jobIrqMask, int mmuIrqRawstat,
                        int mmuIrqMask, boolean resetting, long shaderReady, long shaderTrans, long tilerReady,
                        long tilerTrans, long l2Ready, long l2Trans, int gpuStatus, int mcuStatus, int latestFlushId) {
}
