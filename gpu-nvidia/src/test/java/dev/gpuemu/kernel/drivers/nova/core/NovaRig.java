package dev.gpuemu.kernel.drivers.nova.core;

import dev.gpuemu.board.Machine;
import dev.gpuemu.board.PciSlot;
import dev.gpuemu.hw.nvidia.Ga102;
import dev.gpuemu.hw.nvidia.NvConfig;
import dev.gpuemu.hw.nvidia.host.NvHost;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.bus.auxiliary.AuxiliaryDevice;
import dev.gpuemu.kernel.bus.auxiliary.AuxiliaryDriver;
import dev.gpuemu.kernel.bus.pci.PciDevice;
import dev.gpuemu.kernel.bus.pci.PciDeviceId;
import dev.gpuemu.kernel.bus.pci.PciDriver;
import dev.gpuemu.kernel.driver.Core;
import dev.gpuemu.kernel.driver.Devres;
import dev.gpuemu.machine.pci.Bdf;
import dev.gpuemu.regs.nvidia.Chipset;
import dev.gpuemu.regs.nvidia.FalconFwFormat;
import dev.gpuemu.tools.nvfw.NvFirmwareImages;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/// A booted machine with the real GA102 (and its NvHost) at 0000:01:00.0, nova-core, and a test
/// auxiliary driver on `NovaCore.nova-drm` that records its unbind. `order` records the unbind
/// sequence: "child unbind", "data dropped" (NovaCoreData.close's last log line), "devres" (a devres
/// action added before nova-core's probe: released last).
final class NovaRig implements AutoCloseable {
    static final Bdf BDF = new Bdf(1, 0, 0);
    static final String DEV = "0000:01:00.0";

    final Machine machine;
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    final List<String> order = Collections.synchronizedList(new ArrayList<>());
    final AtomicReference<NovaCoreData> data = new AtomicReference<>();
    final AtomicReference<NovaAuxData> childData = new AtomicReference<>();
    Ga102 gpu;

    NovaRig(NvConfig cfg, boolean firmware) throws KernelException {
        this(cfg, firmware ? NvFirmwareImages.booterLoad() : null, firmware ? NvFirmwareImages.gsp() : null);
    }

    /// With these firmware files (`null`: the file is absent).
    NovaRig(NvConfig cfg, byte[] booterLoad, byte[] gsp) throws KernelException {
        Machine.Builder b = Machine.builder().ramBytes(64L << 20)
                .pci(new PciSlot(BDF, hw -> gpu = new Ga102(hw, DEV, cfg, NvHost::new)))
                .module(k -> {
                    k.pciBus().register(new Wrapper());
                    k.auxiliaryBus().register(new Child());
                });
        if (booterLoad != null) {
            b.firmwareFile(FalconFwFormat.firmwareName(cfg.chipset(), "booter_load"), booterLoad);
        }
        if (gsp != null) {
            b.firmwareFile(FalconFwFormat.firmwareName(cfg.chipset(), "gsp"), gsp);
        }
        machine = b.build();
        machine.kernel().log().addListener(e -> {
            log.add(e.level() + " " + e.message());
            if (e.message().contains("sysmem flush page unregistered")) {
                order.add("data dropped");
            }
        });
        machine.boot();
    }

    static NovaRig boot() throws KernelException {
        return new NovaRig(NvConfig.defaults(), true);
    }

    NovaCoreData data() {
        NovaCoreData d = data.get();
        if (d == null) {
            throw new AssertionError("nova-core did not bind: " + log);
        }
        return d;
    }

    NovaAuxData aux() {
        return data().auxData();
    }

    boolean has(String s) {
        synchronized (log) {
            return log.stream().anyMatch(l -> l.contains(s));
        }
    }

    long oopses() {
        return machine.kernel().oopses().count();
    }

    int unbind() {
        return machine.kernel().sysfs().unbind("pci", NovaCoreDriver.NAME, DEV);
    }

    int bind() {
        return machine.kernel().sysfs().bind("pci", NovaCoreDriver.NAME, DEV);
    }

    @Override
    public void close() {
        machine.close();
    }

    private final class Wrapper implements PciDriver<NovaCoreData> {
        private final NovaCoreDriver nova = new NovaCoreDriver();

        @Override
        public String name() {
            return nova.name();
        }

        @Override
        public List<PciDeviceId> idTable() {
            return nova.idTable();
        }

        @Override
        public NovaCoreData probe(PciDevice<Core> pdev) throws KernelException {
            Devres.add(pdev, "test marker", () -> order.add("devres"));
            NovaCoreData d = nova.probe(pdev);
            data.set(d);
            return d;
        }
    }

    private final class Child implements AuxiliaryDriver<NovaAuxData> {
        @Override
        public String name() {
            return "test-nova-drm";
        }

        @Override
        public List<String> idTable() {
            return List.of(NovaAuxData.MATCH_ID);
        }

        @Override
        public NovaAuxData probe(AuxiliaryDevice<Core> adev) throws KernelException {
            NovaAuxData d = adev.registrationData(NovaAuxData.class);
            childData.set(d);
            order.add("child probe " + adev.name());
            return d;
        }

        @Override
        public void unbind(AuxiliaryDevice<Core> adev, NovaAuxData d) {
            order.add("child unbind alive=" + d.isAlive());
        }
    }
}
