package dev.gpuemu.kernel.drivers.tyr;

import dev.gpuemu.board.Machine;
import dev.gpuemu.board.PlatformSlot;
import dev.gpuemu.hw.mali.CsfFrontend;
import dev.gpuemu.hw.mali.MaliConfig;
import dev.gpuemu.hw.mali.MaliG610;
import dev.gpuemu.hw.mali.MaliHwPorts;
import dev.gpuemu.hw.mali.csf.MaliCsf;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.bus.platform.PlatformDevice;
import dev.gpuemu.kernel.bus.platform.PlatformDriver;
import dev.gpuemu.kernel.clk.ClkCore;
import dev.gpuemu.kernel.driver.Core;
import dev.gpuemu.regs.mali.MaliFwFormat;
import dev.gpuemu.tools.malifw.MaliFirmwareImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/// A booted machine with the REAL G610 model (`MaliG610` with its `MaliMmu`) on the RK3588 node
/// and the tyr driver; the command stream frontend is a test plug-in ([StubMcu] until mali-csf's
/// lands). Captures the kernel log and the driver data probe returned.
///
/// ## Lifecycle
/// [#boot] builds and boots; [#close] closes the machine once.
final class TyrRig implements AutoCloseable {
    final Machine machine;
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    final AtomicReference<TyrData> data = new AtomicReference<>();
    MaliG610 gpu;

    private TyrRig(Function<MaliHwPorts, CsfFrontend> csf, byte[] firmware) throws KernelException {
        Machine.Builder b = Machine.builder().ramBytes(64 << 20).platform(new PlatformSlot(TyrDriverTest.NODE,
                hw -> gpu = new MaliG610(hw, TyrDriverTest.DEV, MaliConfig.RK3588, csf))).module(k -> k.platformBus()
                .register(new PlatformDriver<TyrData>() {
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
                    public TyrData probe(PlatformDevice<Core> pdev) throws KernelException {
                        TyrData d = tyr.probe(pdev);
                        data.set(d);
                        return d;
                    }
                }));
        if (firmware != null) {
            b.firmwareFile(MaliFwFormat.firmwareName(10, 8), firmware);
        }
        machine = b.build();
        machine.kernel().log().addListener(e -> log.add(e.level() + " " + e.message()));
        machine.boot();
    }

    /// The real G610 with a working stub MCU and a valid firmware container.
    static TyrRig boot() throws KernelException {
        return new TyrRig(StubMcu.factory(false), TyrDriverTest.firmware());
    }

    /// The real G610 with the real CSF (`MaliCsf`: MCU, CS interpreter, built-in kernels) and the
    /// firmware image the build generates: jobs run.
    static TyrRig bootCsf() throws KernelException {
        return new TyrRig(MaliCsf.factory(), MaliFirmwareImage.build(MaliFirmwareImage.Spec.defaults()));
    }

    static TyrRig boot(Function<MaliHwPorts, CsfFrontend> csf, byte[] firmware) throws KernelException {
        return new TyrRig(csf, firmware);
    }

    boolean has(String line) {
        synchronized (log) {
            return log.stream().anyMatch(l -> l.endsWith(line));
        }
    }

    int indexOf(String s) {
        synchronized (log) {
            for (int i = 0; i < log.size(); i++) {
                if (log.get(i).contains(s)) {
                    return i;
                }
            }
        }
        return -1;
    }

    /// Waits up to 10 s of real time for `cond` (threaded IRQ handlers run on their own threads,
    /// which simulated time does not wait for).
    static boolean eventually(BooleanSupplier cond) {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            LockSupport.parkNanos(100_000L);
        }
        return true;
    }

    int clocksOn() {
        ClkCore c = ClkCore.of(machine.kernel());
        String d = TyrDriverTest.DEV;
        return c.clockEnableCount(d, "core") + c.clockEnableCount(d, "stacks") + c.clockEnableCount(d, "coregroup");
    }

    TyrRegistration reg() {
        TyrData d = data.get();
        if (d == null) {
            throw new AssertionError("tyr did not bind: " + log);
        }
        return d.registrationData();
    }

    @Override
    public void close() {
        machine.close();
    }
}
