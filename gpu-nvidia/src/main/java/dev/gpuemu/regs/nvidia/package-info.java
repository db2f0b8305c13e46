/// **Shared register data of the NVIDIA-style GA102**: the BAR0 map, registers and fields
/// (`NV_PMC_BOOT_0`, `NV_PFB_*`, falcons), the chipset table, the copy-engine class methods
/// (`clc6b5.h`), the GPFIFO entry and GMMU page-table formats. Used by both the device model
/// and the nova drivers; validated once.
package dev.gpuemu.regs.nvidia;
