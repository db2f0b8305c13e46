/// nova-core: the PCI driver for the emulated NVIDIA GPU (kernel-semantics §6.1) and the
/// contract it hands its auxiliary child `NovaCore.nova-drm.<id>`.
///
/// - [dev.gpuemu.kernel.drivers.nova.core.NovaCoreDriver]: match (vendor 0x10DE, class
///   0x0300/0x0302), probe (enable, bus master, 47-bit DMA mask, BAR0 16 MiB `nova-core/bar0`,
///   BOOT_0 -> chipset, GFW boot wait, sysmem flush page, GSP/SEC2 falcon boot, IRQ, auxiliary
///   device) and unbind (child first, then driver data, then devres).
/// - The contract for nova-drm: [dev.gpuemu.kernel.drivers.nova.core.NovaAuxData] (registration
///   data) with [dev.gpuemu.kernel.drivers.nova.core.VramAllocation],
///   [dev.gpuemu.kernel.drivers.nova.core.NovaVm] and
///   [dev.gpuemu.kernel.drivers.nova.core.NovaChannel]. Everything behind it is bound-scoped: after
///   nova-core unbinds, every method except `close()` counts an oops and throws
///   `UseAfterUnbindException`.
///
/// Kernel code: registers come from `dev.gpuemu.regs.nvidia`, the device only through the
/// bound-scoped BAR mappings, the interrupt and DMA memory.
package dev.gpuemu.kernel.drivers.nova.core;
