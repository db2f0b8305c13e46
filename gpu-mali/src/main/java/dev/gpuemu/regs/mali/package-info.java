/// **Shared register data: the Arm Mali-G610 (Valhall, CSF)**, used by both the device model
/// (`dev.gpuemu.hw.mali`) and the tyr driver (`dev.gpuemu.kernel.drivers.tyr`), so the two agree
/// even on a mistake.
///
/// ## Glossary
/// - **GPU control**: the block at MMIO offset 0 (identity, IRQs, commands, power domains, MCU).
/// - **JOB / MMU IRQ blocks**: RAWSTAT/CLEAR/MASK/STATUS at 0x1000 and 0x2000.
/// - **AS**: an MMU address space (`AS_PRESENT` = 0xff: eight), registers at `0x2400 + n*0x40`.
/// - **MCU**: the microcontroller running the CSF firmware; **CSF**: command stream frontend.
/// - **GLB / CSG / CS**: the firmware's global, command-stream-group and command-stream
///   interfaces, in memory shared between host and MCU ([CsfIface]).
/// - **CS instruction**: a 64-bit command in a ring buffer ([CsOpcode], [CsInstr]).
///
/// Sources: kernel-semantics §5 (panthor_regs.h, tyr regs.rs, panthor_fw.h), Mesa genxml v10.
package dev.gpuemu.regs.mali;
