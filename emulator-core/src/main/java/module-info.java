/// Machine substrate, the edu test device, and the kernel's driver core.
///
/// Packages are named by world: `dev.gpuemu.machine..` (substrate both worlds stand on),
/// `dev.gpuemu.hw..` (device models), `dev.gpuemu.kernel..` (kernel), `dev.gpuemu.board`
/// (composition root). The architecture tests in `tools` enforce the boundaries.
module dev.gpuemu.core {
    requires chronicle.bytes;
    requires chronicle.core;
    requires jdk.incubator.vector;

    exports dev.gpuemu.machine;
    exports dev.gpuemu.machine.time;
    exports dev.gpuemu.machine.bus;
    exports dev.gpuemu.machine.irq;
    exports dev.gpuemu.machine.mem;
    exports dev.gpuemu.machine.pci;
    exports dev.gpuemu.machine.pages;
    exports dev.gpuemu.board;
    exports dev.gpuemu.hw.edu;
    exports dev.gpuemu.regs;
    exports dev.gpuemu.regs.edu;
    exports dev.gpuemu.kernel;
    exports dev.gpuemu.kernel.log;
    exports dev.gpuemu.kernel.uapi;
    exports dev.gpuemu.kernel.vfs;
    exports dev.gpuemu.kernel.proc;
    exports dev.gpuemu.kernel.sync;
    exports dev.gpuemu.kernel.driver;
    exports dev.gpuemu.kernel.firmware;
    exports dev.gpuemu.kernel.io;
    exports dev.gpuemu.kernel.clk;
    exports dev.gpuemu.kernel.bus.platform;
    exports dev.gpuemu.kernel.bus.pci;
    exports dev.gpuemu.kernel.bus.auxiliary;
    exports dev.gpuemu.kernel.bus.faux;
    exports dev.gpuemu.kernel.drivers.edu;
}
