/// **Kernel world: bound-scoped hardware access.** MMIO mappings (IoMem), interrupt handlers and DMA allocations; each lives exactly as long as the binding that created it.
package dev.gpuemu.kernel.io;
