/// The emulated Arm Mali-G610 (Valhall CSF) and its tyr/panthor-style driver.
///
/// - `dev.gpuemu.regs.mali`: shared register data (registers, CSF interface layout, CS
///   instruction encoding, page-table and firmware formats);
/// - `dev.gpuemu.hw.mali..`: the device model (hardware world);
/// - `dev.gpuemu.kernel.drivers.tyr..`: the driver (kernel world);
/// - `dev.gpuemu.kernel.uapi.panthor`: the panthor uAPI layouts (`panthor_drm.h`);
/// - `dev.gpuemu.user.panthor`: the userspace client library.
module dev.gpuemu.mali {
    requires transitive dev.gpuemu.drm;

    exports dev.gpuemu.regs.mali;
    exports dev.gpuemu.hw.mali;
    exports dev.gpuemu.hw.mali.mmu;
    exports dev.gpuemu.kernel.uapi.panthor;
    exports dev.gpuemu.user.panthor;
    exports dev.gpuemu.kernel.drivers.tyr;
    exports dev.gpuemu.kernel.drivers.tyr.mmu;
    exports dev.gpuemu.kernel.drivers.tyr.fw;
    exports dev.gpuemu.kernel.drivers.tyr.sched;
    exports dev.gpuemu.hw.mali.csf;
    exports dev.gpuemu.tools.malifw;
}
