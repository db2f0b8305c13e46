package dev.gpuemu.kernel.drivers.tyr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.board.Machine;
import dev.gpuemu.board.MachineReport;
import dev.gpuemu.board.PlatformSlot;
import dev.gpuemu.hw.mali.MaliConfig;
import dev.gpuemu.hw.mali.MaliG610;
import dev.gpuemu.hw.mali.csf.MaliCsf;
import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.bus.platform.PlatformDev;
import dev.gpuemu.kernel.bus.platform.PlatformDevice;
import dev.gpuemu.kernel.bus.platform.PlatformDriver;
import dev.gpuemu.kernel.clk.ClkCore;
import dev.gpuemu.kernel.driver.Core;
import dev.gpuemu.kernel.drm.DrmCore;
import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.machine.time.ClockMode;
import dev.gpuemu.regs.mali.MaliFwFormat;
import dev.gpuemu.user.panthor.PanthorClient;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/// One booted RK3588 machine (real G610, real CSF, FAST clock) that probes tyr once per fuzz
/// input through sysfs, for [TyrFirmwareFuzzTest#rebindWithDamagedFirmware]: building, booting and
/// tearing down a machine per input ([TyrRig]) costs more than the probe under test.
///
/// Per input ([#probe]): replace `mali_csffw.bin` in the machine's firmware files, write the
/// device to tyr's `bind`, then check:
/// - failed probe: a negative errno, no driver data, clocks off, no devres, no DRM node;
/// - bound: the render node answers `DEV_QUERY(CSIF_INFO)` (the GLB interface the firmware
///   published), then `unbind` answers 0;
/// - either way the device ends unbound with the [UnboundState] it had before the first input
///   (pages, GEM objects, DRM devices, devres, oopses, clock failures) it had after the previous
///   input: nothing leaked, nothing oopsed since then (and so, by induction, since the first).
///
/// ## Invariants
/// Between inputs the device is unbound and its [UnboundState] is the one after the first unbind.
///
/// ## Thread safety
/// One fuzzing thread; [#shared] and [#closeShared] are synchronized.
///
/// ## Lifecycle
/// [#shared] builds and boots on first use (the boot probes the valid image, which must bind),
/// then unbinds; [#closeShared] closes the machine once and answers its report.
final class TyrRebindRig {
    static final String FW_NAME = MaliFwFormat.firmwareName(10, 8);
    private static final String BUS = "platform";
    private static final String DRIVER = "tyr";
    private static TyrRebindRig shared;

    final Machine machine;
    private final Kernel kernel;
    private final PlatformDev pdev;
    private final Process proc;
    private final AtomicReference<TyrData> data = new AtomicReference<>();
    /// The state after the previous input (after the first unbind, before the first input).
    private UnboundState last;
    private long inputs;

    private TyrRebindRig(byte[] valid) throws KernelException {
        machine = Machine.builder().clockMode(ClockMode.FAST).ramBytes(64 << 20)
                .platform(new PlatformSlot(TyrDriverTest.NODE,
                        hw -> new MaliG610(hw, TyrDriverTest.DEV, MaliConfig.RK3588, MaliCsf.factory())))
                .module(k -> k.platformBus().register(new Recording()))
                .firmwareFile(FW_NAME, valid).build();
        kernel = machine.kernel();
        machine.boot();
        pdev = kernel.platformBus().device(TyrDriverTest.DEV).orElseThrow();
        proc = kernel.spawn("fwfuzz", false);
        assertNotNull(data.get(), () -> "the valid image did not bind: " + log());
        healthCheck();
        assertEquals(0, kernel.sysfs().unbind(BUS, DRIVER, TyrDriverTest.DEV), this::log);
        data.set(null);
        assertUnbound(UnboundState.take(machine, pdev));
    }

    /// The JVM's rig, booted on first use.
    static synchronized TyrRebindRig shared(byte[] valid) throws KernelException {
        if (shared == null) {
            shared = new TyrRebindRig(valid);
        }
        return shared;
    }

    /// Closes the JVM's rig if one was made; its report, or null.
    static synchronized MachineReport closeShared() {
        if (shared == null) {
            return null;
        }
        TyrRebindRig r = shared;
        shared = null;
        r.proc.close();
        r.machine.close();
        return r.machine.report();
    }

    /// Probes tyr with `firmware` as `mali_csffw.bin` and checks the properties above; whether it
    /// bound. Throws [AssertionError] for a violated property.
    boolean probe(byte[] firmware) throws KernelException {
        inputs++;
        long fromSeq = kernel.log().nextSeq();
        machine.kernel().hw().firmwareFiles().replace(FW_NAME, firmware);
        data.set(null);
        int rc = kernel.sysfs().bind(BUS, DRIVER, TyrDriverTest.DEV);
        boolean bound = rc == 0;
        if (bound) {
            assertNotNull(data.get(), "bind answered 0 without driver data");
            healthCheck();
            assertEquals(0, kernel.sysfs().unbind(BUS, DRIVER, TyrDriverTest.DEV), () -> log(fromSeq));
        } else {
            assertTrue(rc < 0, () -> "bind answered " + rc);
            assertNull(data.get(), "failed probe left driver data");
        }
        data.set(null);
        assertUnbound(UnboundState.take(machine, pdev), fromSeq);
        return bound;
    }

    /// Inputs probed so far.
    long inputs() {
        return inputs;
    }

    private void healthCheck() throws KernelException {
        List<String> nodes = DrmCore.of(kernel).nodesOf(pdev);
        String render = nodes.stream().filter(n -> n.contains("renderD")).findFirst()
                .orElseThrow(() -> new AssertionError("bound without a render node: " + nodes));
        try (PanthorClient c = PanthorClient.open(proc, render)) {
            assertNotNull(c.csifInfo());
        }
    }

    private void assertUnbound(UnboundState now) {
        assertUnbound(now, 0);
    }

    private void assertUnbound(UnboundState now, long fromSeq) {
        assertEquals(0, clocksOn(), () -> "clocks left on: " + log(fromSeq));
        assertTrue(DrmCore.of(kernel).nodesOf(pdev).isEmpty(), () -> "DRM node left: " + log(fromSeq));
        UnboundState before = last;
        last = now;
        if (before != null) {
            assertEquals(before, now, () -> "state after input " + inputs + " differs from before it: " + log(fromSeq));
        }
    }

    private int clocksOn() {
        ClkCore c = ClkCore.of(kernel);
        String d = TyrDriverTest.DEV;
        return c.clockEnableCount(d, "core") + c.clockEnableCount(d, "stacks") + c.clockEnableCount(d, "coregroup");
    }

    private String log() {
        return log(0);
    }

    private String log(long fromSeq) {
        return kernel.log().since(fromSeq).stream().map(e -> e.level() + " " + e.message())
                .collect(Collectors.joining("\n  ", "kernel log:\n  ", ""));
    }

    /// Guest errors the machine counted so far (all kinds).
    long guestErrors() {
        return kernel.hw().guestErrors().total();
    }

    /// tyr, recording the driver data its probe returns.
    private final class Recording implements PlatformDriver<TyrData> {
        private final TyrDriver tyr = new TyrDriver();

        @Override
        public String name() {
            return tyr.name();
        }

        @Override
        public List<String> ofMatchTable() {
            return tyr.ofMatchTable();
        }

        @Override
        public TyrData probe(PlatformDevice<Core> dev) throws KernelException {
            TyrData d = tyr.probe(dev);
            data.set(d);
            return d;
        }
    }
}
