/// **Build-time tool: the emulated NVIDIA falcons' firmware images** (`regs.nvidia.FalconFwFormat`),
/// run by images/pom.xml to produce `images/firmware/nvidia/ga102/gsp/*.bin`.
package dev.gpuemu.tools.nvfw;
