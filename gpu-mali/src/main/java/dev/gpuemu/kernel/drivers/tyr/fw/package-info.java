/// **Kernel world: tyr firmware**: the CSF firmware container parser (panthor's checks and
/// messages), section loading into the MCU's address space, MCU boot and the GLB/CSG/CS
/// interface accessors the scheduler uses.
package dev.gpuemu.kernel.drivers.tyr.fw;
