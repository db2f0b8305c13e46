package dev.gpuemu.hw.nvidia;

import dev.gpuemu.board.Machine;
import dev.gpuemu.board.PciSlot;
import dev.gpuemu.machine.GuestErrors;
import dev.gpuemu.machine.bus.AccessSize;
import dev.gpuemu.machine.bus.MmioBus;
import dev.gpuemu.machine.irq.InterruptController;
import dev.gpuemu.machine.mem.PageRun;
import dev.gpuemu.machine.mem.SystemMemory;
import dev.gpuemu.machine.pci.Bdf;
import dev.gpuemu.machine.pci.PciConfigSpace;
import dev.gpuemu.machine.pci.PciHost;
import dev.gpuemu.machine.time.SimClock;
import dev.gpuemu.regs.nvidia.FalconReg;
import dev.gpuemu.regs.nvidia.NvReg;
import java.lang.foreign.MemorySegment;

/// A qtest-like harness around one GA102 on a machine whose kernel never boots: the test is
/// firmware and CPU and reaches the device only through PCI config space, BAR0/BAR1 on the MMIO
/// bus, the interrupt line and system memory.
///
/// ## Lifecycle
/// [#open] builds the machine, programs both BARs and COMMAND; [#close] closes the machine once.
final class NvTestSupport implements AutoCloseable {
    static final Bdf BDF = new Bdf(0, 1, 0);
    static final long BAR0 = 0xE000_0000L;
    static final long BAR1 = 0xC000_0000L;

    final Machine machine;
    final SimClock clock;
    final MmioBus mmio;
    final PciHost pci;
    final InterruptController pic;
    final SystemMemory memory;
    final GuestErrors errors;
    final Ga102 gpu;
    private final java.util.List<PageRun> runs = new java.util.ArrayList<>();

    private NvTestSupport(NvConfig cfg, java.util.function.Function<NvHwPorts, HostEngine> host) {
        Ga102[] built = new Ga102[1];
        machine = Machine.builder().ramBytes(4L << 20)
                .pci(new PciSlot(BDF, hw -> built[0] = host == null ? new Ga102(hw, BDF.toString(), cfg)
                        : new Ga102(hw, BDF.toString(), cfg, host)))
                .build();
        var hw = machine.kernel().hw();
        clock = machine.clock();
        mmio = hw.mmio();
        pci = hw.pci();
        pic = hw.interrupts();
        memory = hw.memory();
        errors = machine.guestErrors();
        gpu = built[0];
        pci.configWrite(BDF, PciConfigSpace.BAR0, AccessSize.DWORD, BAR0);
        pci.configWrite(BDF, PciConfigSpace.BAR0 + 4, AccessSize.DWORD, BAR1);
        pci.configWrite(BDF, PciConfigSpace.BAR0 + 8, AccessSize.DWORD, 0);
        pci.configWrite(BDF, PciConfigSpace.COMMAND, AccessSize.WORD,
                PciConfigSpace.COMMAND_MEMORY | PciConfigSpace.COMMAND_BUS_MASTER);
    }

    /// GA102 with 16 MiB of VRAM and default delays.
    static NvTestSupport open() {
        return open(NvConfig.defaults().withVramBytes(16L << 20));
    }

    static NvTestSupport open(NvConfig cfg) {
        return new NvTestSupport(cfg, null);
    }

    /// GA102 with 16 MiB of VRAM and the given host block (e.g. `NvHost::new`).
    static NvTestSupport open(java.util.function.Function<NvHwPorts, HostEngine> host) {
        return new NvTestSupport(NvConfig.defaults().withVramBytes(16L << 20), host);
    }

    long readl(long off) {
        return mmio.read(BAR0 + off, AccessSize.DWORD);
    }

    void writel(long off, long v) {
        mmio.write(BAR0 + off, AccessSize.DWORD, v);
    }

    long readl(NvReg r) {
        return readl(r.offset());
    }

    void writel(NvReg r, long v) {
        writel(r.offset(), v);
    }

    long readl(long falconBase, FalconReg r) {
        return readl(falconBase + r.offset());
    }

    void writel(long falconBase, FalconReg r, long v) {
        writel(falconBase + r.offset(), v);
    }

    int irqLine() {
        return (int) pci.configRead(BDF, PciConfigSpace.INTERRUPT_LINE, AccessSize.BYTE);
    }

    boolean irqLevel() {
        return pic.level(irqLine());
    }

    /// Lets `ns` of simulated time pass.
    void step(long ns) {
        clock.advance(ns);
    }

    long count(GuestErrors.Kind kind) {
        return errors.count(kind);
    }

    /// Copies `bytes` into freshly allocated contiguous RAM; returns its physical address.
    long dmaBuffer(byte[] bytes) {
        PageRun run = memory.allocContiguous((bytes.length + 4095) / 4096, "nv test");
        runs.add(run);
        MemorySegment ram = memory.direct(run.physAddr(), run.bytes());
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, ram, 0, bytes.length);
        return run.physAddr();
    }

    @Override
    public void close() {
        runs.forEach(memory::free);
        machine.close();
    }
}
