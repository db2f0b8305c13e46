/// **Machine substrate** (neither hardware model nor kernel): the composition of clock, physical address space, interrupt controller, system memory and PCI host that both worlds stand on. Device models plug into it from below; the kernel reaches it only through the narrow interfaces it exports (bus reads/writes, IRQ entry, DMA-able memory, PCI config access).
package dev.gpuemu.machine;
