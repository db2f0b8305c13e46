/// **Kernel world: tyr MMU**: io-pgtable-style AArch64 4 KiB page tables in DMA memory, GPU
/// virtual address spaces ([dev.gpuemu.kernel.drivers.tyr.mmu.TyrVm]) and the address-space slot
/// manager with fault handling ([dev.gpuemu.kernel.drivers.tyr.mmu.TyrMmu]).
package dev.gpuemu.kernel.drivers.tyr.mmu;
