package dev.gpuemu.kernel.drivers.nova.drm;

import dev.gpuemu.board.Machine;
import dev.gpuemu.board.PciSlot;
import dev.gpuemu.hw.nvidia.Ga102;
import dev.gpuemu.hw.nvidia.NvConfig;
import dev.gpuemu.hw.nvidia.host.NvHost;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.bus.auxiliary.AuxiliaryDevice;
import dev.gpuemu.kernel.bus.auxiliary.AuxiliaryDriver;
import dev.gpuemu.kernel.driver.Core;
import dev.gpuemu.kernel.drivers.nova.core.NovaCoreDriver;
import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.machine.pci.Bdf;
import dev.gpuemu.regs.nvidia.FalconFwFormat;
import dev.gpuemu.tools.nvfw.NvFirmwareImages;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/// A booted machine with the real GA102 at 0000:01:00.0, nova-core and nova-drm (test-only test
/// code builds the machine; the kernel side is the real drivers). [#drmData] is nova-drm's driver
/// data of the current binding.
final class Ga102DrmRig implements AutoCloseable {
    static final String DEV = "0000:01:00.0";
    static final String RENDER = "/dev/dri/renderD128";

    final Machine machine;
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    volatile NovaDrmData drmData;

    Ga102DrmRig() throws KernelException {
        NvConfig cfg = NvConfig.defaults();
        NovaAuxDriver real = new NovaAuxDriver();
        machine = Machine.builder().ramBytes(128L << 20)
                .pci(new PciSlot(new Bdf(1, 0, 0), hw -> new Ga102(hw, DEV, cfg, NvHost::new)))
                .firmwareFile(FalconFwFormat.firmwareName(cfg.chipset(), "booter_load"), NvFirmwareImages.booterLoad())
                .firmwareFile(FalconFwFormat.firmwareName(cfg.chipset(), "gsp"), NvFirmwareImages.gsp())
                .module(k -> {
                    k.pciBus().register(new NovaCoreDriver());
                    k.auxiliaryBus().register(new AuxiliaryDriver<NovaDrmData>() {
                        @Override
                        public String name() {
                            return real.name();
                        }

                        @Override
                        public List<String> idTable() {
                            return real.idTable();
                        }

                        @Override
                        public NovaDrmData probe(AuxiliaryDevice<Core> adev) throws KernelException {
                            drmData = real.probe(adev);
                            return drmData;
                        }

                        @Override
                        public void unbind(AuxiliaryDevice<Core> adev, NovaDrmData data) {
                            real.unbind(adev, data);
                        }
                    });
                })
                .build();
        machine.kernel().log().addListener(e -> log.add(e.level() + " " + e.message()));
        machine.boot();
    }

    Process spawn() {
        return machine.kernel().spawn("user", false);
    }

    boolean logged(String s) {
        synchronized (log) {
            return log.stream().anyMatch(l -> l.contains(s));
        }
    }

    int unbindNovaCore() {
        return machine.kernel().sysfs().unbind("pci", NovaCoreDriver.NAME, DEV);
    }

    int bindNovaCore() {
        return machine.kernel().sysfs().bind("pci", NovaCoreDriver.NAME, DEV);
    }

    long oopses() {
        return machine.kernel().oopses().count();
    }

    @Override
    public void close() {
        machine.close();
    }
}
