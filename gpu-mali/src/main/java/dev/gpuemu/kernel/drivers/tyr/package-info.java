/// **Kernel world: tyr**, the driver of the Mali-G610 (Valhall CSF), modelled on upstream Tyr
/// (drivers/gpu/drm/tyr: probe order, log lines, typed lifecycles) with panthor's richer
/// sequences (threaded IRQs, MMU address spaces, firmware and MCU boot). The device is reached
/// only through [dev.gpuemu.kernel.io.IoMem], interrupt handlers and DMA memory; registers come
/// from `dev.gpuemu.regs.mali`. Subpackages: `.mmu` (page tables, address spaces), `.fw`
/// (firmware container, MCU boot, CSF interfaces), `.sched` (the CSF scheduler and the group
/// ioctls).
///
/// uAPI (DRM device `panthor` 1.5.0, [TyrDrm]): `DEV_QUERY`, `BO_CREATE`, `BO_MMAP_OFFSET`,
/// `VM_CREATE`, `VM_DESTROY`, synchronous `VM_BIND`, `VM_GET_STATE`, `GROUP_CREATE`,
/// `GROUP_DESTROY`, `GROUP_SUBMIT`, `GROUP_GET_STATE`, `BO_SET_LABEL`, `SET_USER_MMIO_OFFSET`
/// (the offset is kept; the user MMIO page is not offered by `mmap`). Not implemented (answer
/// `EOPNOTSUPP`): asynchronous `VM_BIND`, `TILER_HEAP_CREATE`/`DESTROY` (tiler heaps are not
/// modelled).
package dev.gpuemu.kernel.drivers.tyr;
