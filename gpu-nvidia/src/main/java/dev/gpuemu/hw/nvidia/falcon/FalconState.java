package dev.gpuemu.hw.nvidia.falcon;

/// A snapshot of one falcon, for tests and diagnostics.
///
/// @param inReset     `ENGINE.RESET` is set
/// @param scrubbing   IMEM/DMEM scrubbing in progress (`HWCFG2.MEM_SCRUBBING`)
/// @param running     the CPU runs a program
/// @param halted      `CPUCTL.HALTED`
/// @param mailbox0    `MAILBOX0`
/// @param mailbox1    `MAILBOX1`
/// @param irqstat     `IRQSTAT`
/// @param dmaInFlight DMA transfers queued or in flight
/// @param pc          IMEM offset of the next instruction
public record FalconState(boolean inReset, boolean scrubbing, boolean running, boolean halted, int mailbox0,
                          int mailbox1, int irqstat, int dmaInFlight, int pc) {
}
