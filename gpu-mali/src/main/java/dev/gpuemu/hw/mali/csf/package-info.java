/// The Mali-G610's command stream frontend (CSF), emulated at the level of its firmware
/// interface: the MCU boot (descriptor check, GLB/CSG/CS control blocks in the shared section),
/// the global, group and stream request/acknowledge protocol, doorbells, the command-stream
/// interpreter ([dev.gpuemu.regs.mali.CsInstr]'s subset), the built-in compute kernels on the
/// page engine, and the timing model ([CsfTiming]). docs/devices/mali-g610.md is the
/// datasheet of this package.
package dev.gpuemu.hw.mali.csf;
