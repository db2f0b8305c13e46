/// The emulated NVIDIA-style GA102 and its nova-core (PCI) / nova-drm (auxiliary) drivers.
///
/// - `dev.gpuemu.regs.nvidia`: shared register data (BAR0 map, registers, chipset table, copy
///   class methods, GPFIFO and GMMU formats);
/// - `dev.gpuemu.hw.nvidia..`: the device model (hardware world);
/// - `dev.gpuemu.kernel.drivers.nova..`: the drivers (kernel world).
module dev.gpuemu.nvidia {
    requires transitive dev.gpuemu.drm;

    exports dev.gpuemu.regs.nvidia;
    exports dev.gpuemu.hw.nvidia;
    exports dev.gpuemu.hw.nvidia.host;
    exports dev.gpuemu.hw.nvidia.mmu;
    exports dev.gpuemu.hw.nvidia.falcon;
    exports dev.gpuemu.tools.nvfw;
    exports dev.gpuemu.kernel.drivers.nova.core;
    exports dev.gpuemu.kernel.uapi.nova;
    exports dev.gpuemu.kernel.drivers.nova.drm;
    exports dev.gpuemu.user.nova;
}
