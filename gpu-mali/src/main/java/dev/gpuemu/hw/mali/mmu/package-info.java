/// **Hardware world: the Mali-G610's MMU**: eight address spaces (`AS_*` registers), the
/// `MMU_IRQ` block, and a page-table walker reading AArch64 4 KiB tables from system memory by
/// DMA on every translation. Implements `dev.gpuemu.hw.mali.GpuMemory` for the CSF.
package dev.gpuemu.hw.mali.mmu;
