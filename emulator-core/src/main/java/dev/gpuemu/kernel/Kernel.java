package dev.gpuemu.kernel;

import dev.gpuemu.kernel.bus.auxiliary.AuxiliaryBus;
import dev.gpuemu.kernel.bus.faux.FauxBus;
import dev.gpuemu.kernel.bus.pci.PciBus;
import dev.gpuemu.kernel.bus.platform.PlatformBus;
import dev.gpuemu.kernel.driver.DriverCore;
import dev.gpuemu.kernel.driver.Sysfs;
import dev.gpuemu.kernel.io.IoResources;
import dev.gpuemu.kernel.io.IrqCore;
import dev.gpuemu.kernel.log.KernelLog;
import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.kernel.sync.Srcu;
import dev.gpuemu.kernel.vfs.DevFs;
import dev.gpuemu.machine.MachineInterface;
import dev.gpuemu.machine.time.SimClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/// One kernel instance running on one machine: the log, the oops counter, the RCU domain used
/// by revocable resources, the driver core with its four buses, the IRQ core, `/dev` and the
/// live userspace processes.
///
/// Nothing is global: several machines (and kernels) may run in one JVM.
///
/// ## Thread safety
/// Thread-safe after construction.
///
/// ## Lifecycle
/// constructed (buses registered, drivers may register) → [#boot] once (IRQ entry installed,
/// firmware devices and PCI enumerated) → [#shutdown] once (live processes killed, then every
/// device unbound). Processes may be spawned until shutdown.
public final class Kernel {
    /// Version string the kernel prints at boot.
    public static final String VERSION = "gpuemu-kernel 0.1.0";

    private final MachineInterface hw;
    private final KernelLog log;
    private final Oopses oopses;
    private final Srcu rcu;
    private final DriverCore driverCore;
    private final Sysfs sysfs;
    private final IrqCore irqCore;
    private final IoResources ioResources = new IoResources();
    private final PlatformBus platformBus;
    private final PciBus pciBus;
    private final AuxiliaryBus auxiliaryBus;
    private final FauxBus fauxBus;
    private final FaultInjection faults;
    private final Map<Class<?>, Object> subsystems = new ConcurrentHashMap<>();
    private final DevFs devfs = new DevFs();
    private final AtomicInteger nextPid = new AtomicInteger(1);
    private final Set<Process> processes = ConcurrentHashMap.newKeySet();
    private boolean booted;
    private boolean shutDown;

    public Kernel(MachineInterface hw) {
        this.hw = Objects.requireNonNull(hw, "hw");
        this.log = new KernelLog(hw.clock()::nowNs, 8192);
        this.oopses = new Oopses(log);
        this.rcu = new Srcu("rcu");
        this.driverCore = new DriverCore(this);
        this.sysfs = new Sysfs(driverCore);
        this.irqCore = new IrqCore(this, hw.interrupts());
        this.platformBus = new PlatformBus(driverCore);
        this.pciBus = new PciBus(driverCore, hw.pci());
        this.auxiliaryBus = new AuxiliaryBus(driverCore);
        this.fauxBus = new FauxBus(driverCore);
        this.faults = new FaultInjection(log::info);
    }

    /// Boots: installs the interrupt entry, creates platform devices from the firmware
    /// description, enumerates PCI. Drivers registered before boot bind as devices appear.
    public synchronized void boot() throws KernelException {
        if (booted) {
            throw new IllegalStateException("kernel already booted");
        }
        booted = true;
        log.info("Booting " + VERSION + " (simulated time, " + hw.clock().mode().name().toLowerCase() + " mode)");
        log.info("Memory: " + (hw.memory().size() >> 10) + "K system RAM at 0x" + Long.toHexString(hw.memory().base()));
        irqCore.install();
        platformBus.populate(hw.firmware());
        pciBus.scan();
    }

    /// Unbinds every device (children first). Idempotent calls are a bug: the second throws.
    public synchronized void shutdown() {
        if (shutDown) {
            throw new IllegalStateException("kernel already shut down");
        }
        shutDown = true;
        for (Process p : List.copyOf(processes)) {
            String what = p.toString();
            if (p.kill()) {
                log.info("shutdown: killed " + what);
            }
        }
        driverCore.unbindAll();
        log.info("reboot: Power down");
    }

    /// Starts an emulated userspace process; `root` grants `CAP_SYS_ADMIN`.
    ///
    /// @throws IllegalStateException after [#shutdown]
    public synchronized Process spawn(String name, boolean root) {
        if (shutDown) {
            throw new IllegalStateException("kernel shut down: cannot spawn " + name);
        }
        Process p = new Process(nextPid.getAndIncrement(), name, root, devfs, processes::remove,
                () -> hw.clock().chargeParticipant(Process.SYSCALL_COST_NS));
        processes.add(p);
        return p;
    }

    /// The live processes, in no particular order.
    public List<Process> processes() {
        return new ArrayList<>(processes);
    }

    /// `/dev`: the character device nodes drivers register.
    public DevFs devfs() {
        return devfs;
    }

    public MachineInterface hw() {
        return hw;
    }

    public SimClock clock() {
        return hw.clock();
    }

    public KernelLog log() {
        return log;
    }

    public Oopses oopses() {
        return oopses;
    }

    /// The SRCU domain behind revocable resources (the model of the kernel's RCU).
    public Srcu rcu() {
        return rcu;
    }

    public DriverCore driverCore() {
        return driverCore;
    }

    /// The sysfs control surface (bind, unbind, driver_override).
    public Sysfs sysfs() {
        return sysfs;
    }

    public IrqCore irqCore() {
        return irqCore;
    }

    public IoResources ioResources() {
        return ioResources;
    }

    public PlatformBus platformBus() {
        return platformBus;
    }

    public PciBus pciBus() {
        return pciBus;
    }

    public AuxiliaryBus auxiliaryBus() {
        return auxiliaryBus;
    }

    public FauxBus fauxBus() {
        return fauxBus;
    }

    /// The fault-injection points.
    public FaultInjection faults() {
        return faults;
    }

    /// The kernel's instance of a subsystem that lives in another module (the DRM core, for
    /// example), created by `factory` on first use. Like a subsystem's `subsys_initcall` state.
    public <T> T subsystem(Class<T> type, Function<Kernel, ? extends T> factory) {
        return type.cast(subsystems.computeIfAbsent(type, t -> factory.apply(this)));
    }
}
