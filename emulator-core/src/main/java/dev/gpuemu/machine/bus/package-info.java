/// **Machine substrate: the MMIO interconnect.** MMIO regions backed by Chronicle Bytes off-heap memory, with register blocks and plain memory ranges, mapped on a physical address bus that validates size, alignment and bounds (QEMU's valid/impl split), counts guest errors and answers invalid reads with open-bus values.
package dev.gpuemu.machine.bus;
