/// **Hardware world: the edu test device**, a PCI device modelled on QEMU's educational device (docs/devices/edu.md). It sees only MMIO offsets, its IRQ line, DMA and simulated time.
package dev.gpuemu.hw.edu;
