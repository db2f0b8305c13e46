/// **Machine substrate: system memory and DMA.** A page pool on off-heap memory, physically addressed, and the DMA port through which device models read and write it.
package dev.gpuemu.machine.mem;
