package dev.gpuemu.kernel.drivers.edu;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.bus.pci.PciDevice;
import dev.gpuemu.kernel.bus.pci.PciDeviceId;
import dev.gpuemu.kernel.bus.pci.PciDriver;
import dev.gpuemu.kernel.driver.Core;
import dev.gpuemu.kernel.io.DmaCoherent;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/// Test driver: the real edu driver, plus a buggy habit of keeping binding-scoped handles where
/// the test can reach them after unbind.
public final class LeakingEduDriver implements PciDriver<EduData> {
    private final EduDriver real = new EduDriver();
    public final AtomicReference<EduData> data = new AtomicReference<>();
    public final AtomicReference<DmaCoherent> buffer = new AtomicReference<>();
    public final AtomicReference<PciDevice<Core>> coreView = new AtomicReference<>();
    public final List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public String name() {
        return "edu";
    }

    @Override
    public List<PciDeviceId> idTable() {
        return real.idTable();
    }

    @Override
    public EduData probe(PciDevice<Core> pdev) throws KernelException {
        EduData d = real.probe(pdev);
        data.set(d);
        buffer.set(DmaCoherent.alloc(pdev, 4096, "leaked"));
        coreView.set(pdev);
        events.add("probe");
        return d;
    }

    @Override
    public void unbind(PciDevice<Core> pdev, EduData d) {
        events.add("unbind");
        real.unbind(pdev, d);
    }
}
