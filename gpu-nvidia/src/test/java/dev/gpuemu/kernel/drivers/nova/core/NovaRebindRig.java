package dev.gpuemu.kernel.drivers.nova.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.board.Machine;
import dev.gpuemu.board.MachineReport;
import dev.gpuemu.board.PciSlot;
import dev.gpuemu.hw.nvidia.Ga102;
import dev.gpuemu.hw.nvidia.NvConfig;
import dev.gpuemu.hw.nvidia.host.NvHost;
import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.bus.auxiliary.AuxiliaryDevice;
import dev.gpuemu.kernel.bus.auxiliary.AuxiliaryDriver;
import dev.gpuemu.kernel.bus.pci.PciDev;
import dev.gpuemu.kernel.bus.pci.PciDevice;
import dev.gpuemu.kernel.bus.pci.PciDeviceId;
import dev.gpuemu.kernel.bus.pci.PciDriver;
import dev.gpuemu.kernel.driver.Core;
import dev.gpuemu.kernel.drm.DrmCore;
import dev.gpuemu.machine.time.ClockMode;
import dev.gpuemu.regs.nvidia.FalconFwFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/// One booted machine with the real GA102 (FAST clock) that probes nova-core once per fuzz input
/// through sysfs, for [NovaFirmwareFuzzTest#rebindWithDamagedFirmware]: a fresh machine per input
/// ([NovaRig]) costs a machine build and the GPU's 20 ms (simulated) GFW boot, polled, on top of
/// the probe under test.
///
/// Per input ([#probe]): replace `booter_load` and `gsp` in the machine's firmware files, write
/// the device to nova-core's `bind`, then check:
/// - failed probe: a negative errno, no driver data, no auxiliary child, no devres;
/// - bound: the auxiliary `nova-drm` child probed (a test driver) and the device is alive; then
///   `unbind` answers 0 and takes the child with it;
/// - either way the device ends unbound with the [UnboundState] it had before the first input
///   (pages, GEM objects, DRM devices, devres, oopses, clock failures) it had after the previous
///   input (and so, by induction, before the first).
///
/// ## Invariants
/// Between inputs the device is unbound and its [UnboundState] is the one after the first unbind.
///
/// ## Thread safety
/// One fuzzing thread; [#shared] and [#closeShared] are synchronized.
///
/// ## Lifecycle
/// [#shared] builds and boots on first use (the boot probes the valid images, which must bind),
/// then unbinds; [#closeShared] closes the machine once and answers its report.
final class NovaRebindRig {
    private static final String BUS = "pci";
    private static NovaRebindRig shared;

    final Machine machine;
    private final Kernel kernel;
    private final String booterName;
    private final String gspName;
    private final PciDev pdev;
    private final AtomicReference<NovaCoreData> data = new AtomicReference<>();
    private final AtomicInteger childrenBound = new AtomicInteger();
    /// The state after the previous input (after the first unbind, before the first input).
    private UnboundState last;
    private long inputs;

    private NovaRebindRig(byte[] booterLoad, byte[] gsp) throws KernelException {
        NvConfig cfg = NvConfig.defaults();
        booterName = FalconFwFormat.firmwareName(cfg.chipset(), "booter_load");
        gspName = FalconFwFormat.firmwareName(cfg.chipset(), "gsp");
        machine = Machine.builder().clockMode(ClockMode.FAST).ramBytes(64L << 20)
                .pci(new PciSlot(NovaRig.BDF, hw -> new Ga102(hw, NovaRig.DEV, cfg, NvHost::new)))
                .module(k -> {
                    k.pciBus().register(new Recording());
                    k.auxiliaryBus().register(new Child());
                })
                .firmwareFile(booterName, booterLoad).firmwareFile(gspName, gsp).build();
        kernel = machine.kernel();
        machine.boot();
        pdev = kernel.pciBus().device(NovaRig.DEV).orElseThrow();
        assertNotNull(data.get(), () -> "the valid images did not bind: " + log(0));
        healthCheck(0);
        assertEquals(0, kernel.sysfs().unbind(BUS, NovaCoreDriver.NAME, NovaRig.DEV), () -> log(0));
        data.set(null);
        assertEquals(0, childrenBound.get(), "the auxiliary child outlived the unbind");
        last = UnboundState.take(machine, pdev);
    }

    /// The JVM's rig, booted on first use.
    static synchronized NovaRebindRig shared(byte[] booterLoad, byte[] gsp) throws KernelException {
        if (shared == null) {
            shared = new NovaRebindRig(booterLoad, gsp);
        }
        return shared;
    }

    /// Closes the JVM's rig if one was made; its report, or null.
    static synchronized MachineReport closeShared() {
        if (shared == null) {
            return null;
        }
        NovaRebindRig r = shared;
        shared = null;
        r.machine.close();
        return r.machine.report();
    }

    /// Probes nova-core with these images and checks the properties above; whether it bound.
    /// Throws [AssertionError] for a violated property.
    boolean probe(byte[] booterLoad, byte[] gsp) throws KernelException {
        inputs++;
        long fromSeq = kernel.log().nextSeq();
        machine.kernel().hw().firmwareFiles().replace(booterName, booterLoad);
        machine.kernel().hw().firmwareFiles().replace(gspName, gsp);
        data.set(null);
        int rc = kernel.sysfs().bind(BUS, NovaCoreDriver.NAME, NovaRig.DEV);
        boolean bound = rc == 0;
        if (bound) {
            assertNotNull(data.get(), "bind answered 0 without driver data");
            healthCheck(fromSeq);
            assertEquals(0, kernel.sysfs().unbind(BUS, NovaCoreDriver.NAME, NovaRig.DEV), () -> log(fromSeq));
        } else {
            assertTrue(rc < 0, () -> "bind answered " + rc);
            assertNull(data.get(), "failed probe left driver data");
        }
        data.set(null);
        assertEquals(0, childrenBound.get(), () -> "auxiliary child left bound: " + log(fromSeq));
        assertTrue(DrmCore.of(kernel).nodesOf(pdev).isEmpty(), () -> "DRM node left: " + log(fromSeq));
        UnboundState before = last;
        last = UnboundState.take(machine, pdev);
        assertEquals(before, last, () -> "state after input " + inputs + " differs from before it: " + log(fromSeq));
        return bound;
    }

    /// Guest errors the machine counted so far (all kinds).
    long guestErrors() {
        return kernel.hw().guestErrors().total();
    }

    private void healthCheck(long fromSeq) {
        NovaCoreData d = data.get();
        assertEquals(1, childrenBound.get(), () -> "bound without its auxiliary child: " + log(fromSeq));
        assertTrue(d.auxData().isAlive(), "bound device not alive");
    }

    private String log(long fromSeq) {
        return kernel.log().since(fromSeq).stream().map(e -> e.level() + " " + e.message())
                .collect(Collectors.joining("\n  ", "kernel log:\n  ", ""));
    }

    /// nova-core, recording the driver data its probe returns.
    private final class Recording implements PciDriver<NovaCoreData> {
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
        public NovaCoreData probe(PciDevice<Core> dev) throws KernelException {
            NovaCoreData d = nova.probe(dev);
            data.set(d);
            return d;
        }
    }

    /// A stand-in for nova-drm on the auxiliary child: counts bound children.
    private final class Child implements AuxiliaryDriver<NovaAuxData> {
        @Override
        public String name() {
            return "fwfuzz-nova-drm";
        }

        @Override
        public List<String> idTable() {
            return List.of(NovaAuxData.MATCH_ID);
        }

        @Override
        public NovaAuxData probe(AuxiliaryDevice<Core> adev) throws KernelException {
            NovaAuxData d = adev.registrationData(NovaAuxData.class);
            childrenBound.incrementAndGet();
            return d;
        }

        @Override
        public void unbind(AuxiliaryDevice<Core> adev, NovaAuxData d) {
            childrenBound.decrementAndGet();
        }
    }
}
