package dev.gpuemu.kernel.drivers.nova.drm;

import dev.gpuemu.board.Machine;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.bus.auxiliary.AuxiliaryDevice;
import dev.gpuemu.kernel.bus.auxiliary.AuxiliaryDriver;
import dev.gpuemu.kernel.bus.auxiliary.AuxiliaryRegistration;
import dev.gpuemu.kernel.bus.faux.FauxDevice;
import dev.gpuemu.kernel.bus.faux.FauxOps;
import dev.gpuemu.kernel.driver.Core;
import dev.gpuemu.kernel.driver.Device;
import dev.gpuemu.kernel.drivers.nova.core.NovaAuxData;
import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.machine.time.ClockMode;
import java.util.List;

/// A booted machine where a faux parent plays nova-core: its probe registers the auxiliary device
/// `NovaCore.nova-drm.0` carrying a [FakeNovaCore], which the real [NovaAuxDriver] binds. Unbinding
/// the faux parent unbinds nova-drm first (the auxiliary registration's order).
final class FakeNovaRig implements AutoCloseable {
    static final String RENDER = "/dev/dri/renderD128";
    static final String CARD = "/dev/dri/card0";

    final Machine machine;
    final FakeNovaCore core = new FakeNovaCore();
    final FauxDevice parent;
    volatile NovaDrmData drmData;

    FakeNovaRig() throws KernelException {
        this(ClockMode.FAST);
    }

    /// With `mode` (PACED: simulated waits take wall time, so a test can act during them).
    FakeNovaRig(ClockMode mode) throws KernelException {
        machine = Machine.builder().clockMode(mode).build();
        machine.boot();
        NovaAuxDriver real = new NovaAuxDriver();
        machine.kernel().auxiliaryBus().register(new AuxiliaryDriver<NovaDrmData>() {
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
        parent = FauxDevice.create(machine.kernel(), "fake-nova-core", new FauxOps<AutoCloseable>() {
            @Override
            public AutoCloseable probe(Device<Core> dev) throws KernelException {
                return AuxiliaryRegistration.create(dev, NovaAuxData.MODNAME, NovaAuxData.AUX_NAME,
                        dev.kernel().auxiliaryBus().allocateId(), core);
            }
        });
    }

    Process spawn() {
        return machine.kernel().spawn("user", false);
    }

    NovaRegistration registration() {
        return drmData.registrationData();
    }

    /// Unbinds the faux parent through sysfs: nova-drm unbinds first, then the parent.
    int unbindParent() {
        var node = parent.device().node();
        return machine.kernel().sysfs().unbind(node.bus().name(), "faux_driver", node.name());
    }

    long oopses() {
        return machine.kernel().oopses().count();
    }

    @Override
    public void close() {
        parent.close();
        machine.close();
    }
}
