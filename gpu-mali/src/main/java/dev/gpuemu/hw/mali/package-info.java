/// **Hardware world: the emulated Mali-G610** (Valhall, CSF) as on the RK3588: the GPU control
/// block (identity, reset, power domains, IRQ blocks, cache flushes, counters), the MMU (address
/// spaces walking AArch64 page tables in system memory) and the CSF (MCU, firmware interfaces,
/// doorbells, command-stream interpreter, built-in compute kernels). docs/devices/mali-g610.md
/// is the datasheet of this model.
package dev.gpuemu.hw.mali;
