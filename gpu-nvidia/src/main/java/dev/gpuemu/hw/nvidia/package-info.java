/// **Hardware world: the NVIDIA-style GA102 device model** (PCI function, BAR0 registers, BAR1
/// VRAM aperture, falcons, host/channels, copy engine, GMMU). Never imports kernel code.
package dev.gpuemu.hw.nvidia;
