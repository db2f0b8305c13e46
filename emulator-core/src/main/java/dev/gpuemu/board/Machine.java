package dev.gpuemu.board;

import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.machine.FirmwareFiles;
import dev.gpuemu.machine.FirmwareNode;
import dev.gpuemu.machine.GuestErrors;
import dev.gpuemu.machine.HwContext;
import dev.gpuemu.machine.MachineInterface;
import dev.gpuemu.machine.bus.MmioBus;
import dev.gpuemu.machine.bus.MmioMapping;
import dev.gpuemu.machine.bus.MmioRegion;
import dev.gpuemu.machine.bus.SysBusDevice;
import dev.gpuemu.machine.irq.IrqLine;
import dev.gpuemu.machine.irq.InterruptController;
import dev.gpuemu.machine.mem.SystemMemory;
import dev.gpuemu.machine.pci.PciFunction;
import dev.gpuemu.machine.pci.Bdf;
import dev.gpuemu.machine.pci.PciHost;
import dev.gpuemu.machine.pci.PciRootPort;
import dev.gpuemu.machine.time.ClockMode;
import dev.gpuemu.machine.time.SeedSequence;
import dev.gpuemu.machine.time.SimClock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/// A whole emulated machine: substrate (clock, MMIO bus, interrupt controller, system memory,
/// PCI host), the device models plugged into it, and the kernel booted on it.
///
/// This is the composition root: the only place that sees both device models and the kernel.
/// The kernel gets a [MachineInterface]; device models get a [HwContext].
///
/// ## Thread safety
/// Build and boot from one thread; afterwards the kernel's entry points are thread-safe.
///
/// ## Lifecycle
/// built → [#boot] once → [#close] once (kernel shutdown, leak check, substrate released).
public final class Machine implements AutoCloseable {
    /// Physical base of system RAM.
    public static final long RAM_BASE = 0;
    /// Interrupt lines of the controller.
    public static final int IRQ_LINES = 64;
    /// First interrupt line used for PCI INTx (A..D of slot 0 are 16..19, then the swizzle).
    public static final int PCI_INTX_BASE = 16;
    /// System property: when `true`, [#close] throws [PageLeakException] after releasing a machine
    /// whose page pool still had pages in use. The test suites set it, so every test machine is
    /// checked for leaks.
    public static final String FAIL_ON_LEAK = "gpuemu.failOnLeak";

    private final SimClock clock;
    private final GuestErrors guestErrors;
    private final SystemMemory memory;
    private final InterruptController interrupts;
    private final List<AutoCloseable> devices;
    private final List<MmioMapping> platformMappings = new ArrayList<>();
    private final Kernel kernel;
    private final long seed;
    private boolean booted;
    private boolean closed;
    private MachineReport report;

    /// Where the board puts the root port in front of bus `bus` (1..4): `00:1c.0` for bus 1, as
    /// a PC's first PCIe root port, then `00:1d.0`, `00:1e.0`, `00:1f.0`.
    static Bdf rootPortSlot(int bus) {
        if (bus < 1 || bus > 4) {
            throw new IllegalArgumentException("PCI devices may sit on bus 0..4 (one root port per bus), not " + bus);
        }
        return new Bdf(0, 0x1c + bus - 1, 0);
    }

    private Machine(Builder b) {
        this.seed = b.seed;
        this.clock = new SimClock(b.mode);
        this.guestErrors = new GuestErrors();
        MmioBus mmio = new MmioBus(guestErrors);
        this.interrupts = new InterruptController(IRQ_LINES, r -> clock.schedule(0, r), guestErrors);
        this.memory = new SystemMemory(RAM_BASE, b.ramBytes, guestErrors);
        PciHost pci = new PciHost(mmio, guestErrors);
        pci.setIntxRouting(PCI_INTX_BASE);
        HwContext hw = new HwContext(clock, guestErrors, memory, interrupts, new SeedSequence(b.seed));
        this.devices = new ArrayList<>();
        b.pci.stream().mapToInt(s -> s.bdf().bus()).filter(bus -> bus != 0).distinct().sorted()
                .forEach(bus -> pci.attach(rootPortSlot(bus), new PciRootPort(bus)));
        for (PciSlot slot : b.pci) {
            PciFunction fn = slot.factory().create(hw);
            pci.attach(slot.bdf(), fn);
            int intx = pci.intxIrq(slot.bdf());
            if (intx >= 0) {
                fn.connectIntx(interrupts.line(intx));
            }
            if (fn instanceof AutoCloseable c) {
                devices.add(c);
            }
        }
        List<FirmwareNode> firmware = new ArrayList<>(b.firmware);
        for (PlatformSlot slot : b.platform) {
            attachPlatform(slot, hw, mmio);
            firmware.add(slot.node());
        }
        this.kernel = new Kernel(new MachineInterface(clock, mmio, interrupts, memory, pci, firmware,
                FirmwareFiles.of(b.firmwareFiles), guestErrors));
        for (Consumer<Kernel> setup : b.kernelSetup) {
            setup.accept(kernel);
        }
        for (KernelModule m : b.modules) {
            try {
                m.init(kernel);
            } catch (KernelException e) {
                kernel.log().err("module init failed: " + e.getMessage() + " (" + e.errno().negative() + ")");
            }
        }
    }

    /// Builds a platform model, maps its regions at the node's `reg` bases and wires its
    /// interrupt outputs to the node's lines.
    private void attachPlatform(PlatformSlot slot, HwContext hw, MmioBus mmio) {
        FirmwareNode node = slot.node();
        SysBusDevice model = slot.factory().create(hw);
        if (model instanceof AutoCloseable c) {
            devices.add(c);
        }
        List<MmioRegion> regions = model.regions();
        if (regions.size() != node.regs().size()) {
            throw new IllegalArgumentException(node.name() + ": model has " + regions.size()
                    + " MMIO region(s), firmware node " + node.regs().size());
        }
        for (int i = 0; i < regions.size(); i++) {
            FirmwareNode.Reg reg = node.regs().get(i);
            if (regions.get(i).size() != reg.size()) {
                throw new IllegalArgumentException(String.format("%s: reg %d is 0x%x bytes, model region %s is 0x%x",
                        node.name(), i, reg.size(), regions.get(i).name(), regions.get(i).size()));
            }
            platformMappings.add(mmio.map(reg.base(), regions.get(i)));
        }
        List<IrqLine> lines = new ArrayList<>();
        for (int irq : node.irqs()) {
            lines.add(interrupts.line(irq));
        }
        model.connectIrqs(List.copyOf(lines));
    }

    public static Builder builder() {
        return new Builder();
    }

    /// Boots the kernel: enumerates devices, probes drivers.
    public void boot() throws KernelException {
        if (booted) {
            throw new IllegalStateException("machine already booted");
        }
        booted = true;
        kernel.boot();
    }

    public Kernel kernel() {
        return kernel;
    }

    public SimClock clock() {
        return clock;
    }

    public GuestErrors guestErrors() {
        return guestErrors;
    }

    public long seed() {
        return seed;
    }

    /// Shuts the kernel down, checks for leaked pages (logged with their owners) and releases the
    /// machine. The report is available from [#report] afterwards, also when close throws
    /// [PageLeakException].
    @Override
    public void close() {
        if (closed) {
            throw new IllegalStateException("machine already closed");
        }
        closed = true;
        if (booted) {
            kernel.shutdown();
        }
        Map<String, Long> errors = new LinkedHashMap<>();
        guestErrors.snapshot().forEach((k, v) -> {
            if (v > 0) {
                errors.put(k.name(), v);
            }
        });
        List<String> failures = clock.failures().stream().map(Throwable::toString).toList();
        List<String> leaks = memory.leaks();
        int leakedPages = memory.pagesInUse();
        if (leakedPages > 0) {
            kernel.log().warn("page pool: " + leakedPages + " page(s) leaked at shutdown");
            leaks.forEach(l -> kernel.log().warn("page pool: leaked " + l));
        }
        report = new MachineReport(kernel.oopses().count(), kernel.oopses().reports(), errors, leaks, leakedPages,
                failures);
        clock.close();
        for (MmioMapping m : platformMappings.reversed()) {
            m.unmap();
        }
        for (AutoCloseable d : devices.reversed()) {
            try {
                d.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing device model failed", e);
            }
        }
        memory.close();
        if (leakedPages > 0 && Boolean.getBoolean(FAIL_ON_LEAK)) {
            throw new PageLeakException(report);
        }
    }

    /// The report of a closed machine.
    public MachineReport report() {
        if (report == null) {
            throw new IllegalStateException("machine not closed yet");
        }
        return report;
    }

    /// Machine configuration.
    public static final class Builder {
        private long seed;
        private ClockMode mode = ClockMode.FAST;
        private long ramBytes = 256L << 20;
        private final List<PciSlot> pci = new ArrayList<>();
        private final List<FirmwareNode> firmware = new ArrayList<>();
        private final List<PlatformSlot> platform = new ArrayList<>();
        private final Map<String, byte[]> firmwareFiles = new HashMap<>();
        private final List<KernelModule> modules = new ArrayList<>();
        private final List<Consumer<Kernel>> kernelSetup = new ArrayList<>();

        private Builder() {
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder clockMode(ClockMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        public Builder ramBytes(long bytes) {
            if (bytes <= 0 || bytes % SystemMemory.PAGE_SIZE != 0) {
                throw new IllegalArgumentException("RAM size must be a positive multiple of 4 KiB: " + bytes);
            }
            this.ramBytes = bytes;
            return this;
        }

        public Builder pci(PciSlot slot) {
            pci.add(Objects.requireNonNull(slot, "slot"));
            return this;
        }

        public Builder firmware(FirmwareNode node) {
            firmware.add(Objects.requireNonNull(node, "node"));
            return this;
        }

        /// A platform device: its firmware node (seen by the kernel) and its model (mapped and
        /// wired by the board).
        public Builder platform(PlatformSlot slot) {
            platform.add(Objects.requireNonNull(slot, "slot"));
            return this;
        }

        /// A firmware file the kernel's `request_firmware(name)` finds (a copy of `contents` is
        /// taken at [#build]).
        ///
        /// @throws IllegalArgumentException if `name` is empty or already added
        public Builder firmwareFile(String name, byte[] contents) {
            if (Objects.requireNonNull(name, "name").isEmpty()) {
                throw new IllegalArgumentException("empty firmware name");
            }
            if (firmwareFiles.putIfAbsent(name, Objects.requireNonNull(contents, "contents")) != null) {
                throw new IllegalArgumentException("firmware file added twice: " + name);
            }
            return this;
        }

        /// Configuration applied to the new kernel before any [#module] initialises (kernel
        /// command-line style settings that must precede the first driver, such as the DRM core's
        /// guard strategy, which is fixed by the first DRM device). Runs in the order added.
        public Builder kernelSetup(Consumer<Kernel> setup) {
            kernelSetup.add(Objects.requireNonNull(setup, "setup"));
            return this;
        }

        public Builder module(KernelModule module) {
            modules.add(Objects.requireNonNull(module, "module"));
            return this;
        }

        public Machine build() {
            return new Machine(this);
        }
    }
}
