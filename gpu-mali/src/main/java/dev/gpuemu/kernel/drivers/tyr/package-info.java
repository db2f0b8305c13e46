/// **Kernel world: tyr**, the driver of the Mali-G610 (Valhall CSF), modelled on upstream Tyr
/// (drivers/gpu/drm/tyr: probe order, log lines, typed lifecycles) with panthor's richer
/// sequences (threaded IRQs, MMU address spaces, firmware and MCU boot). The device is reached
/// only through [dev.gpuemu.kernel.io.IoMem], interrupt handlers and DMA memory; registers come
/// from `dev.gpuemu.regs.mali`. Subpackages: `.mmu` (page tables, address spaces), `.fw`
/// (firmware container, MCU boot, CSF interfaces).
package dev.gpuemu.kernel.drivers.tyr;
