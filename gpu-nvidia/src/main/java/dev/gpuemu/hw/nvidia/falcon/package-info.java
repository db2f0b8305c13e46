/// **The GA102's falcons** (GSP and SEC2): reset, memory scrubbing, DMA of a firmware image from
/// system memory or VRAM into IMEM/DMEM, and a high-level interpreter for gpuemu's scripted
/// firmware format (`regs.nvidia.FalconFwFormat`). Hardware world.
package dev.gpuemu.hw.nvidia.falcon;
