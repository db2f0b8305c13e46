package dev.gpuemu.hw.mali;

import dev.gpuemu.board.Machine;
import dev.gpuemu.board.PlatformSlot;
import dev.gpuemu.machine.FirmwareNode;
import dev.gpuemu.machine.GuestErrors;
import dev.gpuemu.machine.bus.AccessSize;
import dev.gpuemu.machine.bus.MmioBus;
import dev.gpuemu.machine.irq.InterruptController;
import dev.gpuemu.machine.mem.SystemMemory;
import dev.gpuemu.machine.time.SimClock;
import dev.gpuemu.regs.mali.MaliAsReg;
import dev.gpuemu.regs.mali.MaliReg;
import dev.gpuemu.regs.mali.MaliRegs;
import java.util.List;
import java.util.function.Function;

/// A qtest-like harness around one G610 on the platform bus of a machine whose kernel is never
/// booted: the test is firmware and CPU, and reaches the device only through the MMIO bus, the
/// interrupt controller's line levels and system memory.
///
/// ## Lifecycle
/// [#open] builds the machine; [#close] closes it once.
public final class MaliTestSupport implements AutoCloseable {
    /// Where the RK3588 maps the GPU.
    public static final long BASE = 0xFB00_0000L;
    /// Interrupt lines of `job`, `mmu`, `gpu`.
    public static final int IRQ_JOB = 32;
    public static final int IRQ_MMU = 33;
    public static final int IRQ_GPU = 34;

    public final Machine machine;
    public final SimClock clock;
    public final MmioBus mmio;
    public final InterruptController pic;
    public final SystemMemory memory;
    public final GuestErrors errors;
    public final MaliG610 gpu;

    private MaliTestSupport(long ramBytes, MaliConfig config, Function<MaliHwPorts, CsfFrontend> csf) {
        MaliG610[] built = new MaliG610[1];
        FirmwareNode node = new FirmwareNode("fb000000.gpu",
                List.of(MaliRegs.COMPATIBLE_RK3588, MaliRegs.COMPATIBLE_VALHALL_CSF),
                List.of(new FirmwareNode.Reg(BASE, MaliRegs.MMIO_SIZE)), List.of(IRQ_JOB, IRQ_MMU, IRQ_GPU),
                List.of(MaliRegs.IRQ_JOB, MaliRegs.IRQ_MMU, MaliRegs.IRQ_GPU));
        machine = Machine.builder().ramBytes(ramBytes)
                .platform(new PlatformSlot(node, hw -> built[0] = new MaliG610(hw, "fb000000.gpu", config, csf)))
                .build();
        var hw = machine.kernel().hw();
        clock = machine.clock();
        mmio = hw.mmio();
        pic = hw.interrupts();
        memory = hw.memory();
        errors = machine.guestErrors();
        gpu = built[0];
    }

    /// A machine with 4 MiB of RAM and an RK3588 G610 without CSF.
    public static MaliTestSupport open() {
        return open(4L << 20, MaliConfig.defaults(), NoMcuFrontend::new);
    }

    public static MaliTestSupport open(long ramBytes, MaliConfig config, Function<MaliHwPorts, CsfFrontend> csf) {
        return new MaliTestSupport(ramBytes, config, csf);
    }

    public long readl(long offset) {
        return mmio.read(BASE + offset, AccessSize.DWORD);
    }

    public void writel(long offset, long value) {
        mmio.write(BASE + offset, AccessSize.DWORD, value);
    }

    public long readl(MaliReg reg) {
        return readl(reg.offset());
    }

    public void writel(MaliReg reg, long value) {
        writel(reg.offset(), value);
    }

    /// A 64-bit register read as the drivers do it: LO then HI.
    public long read64(MaliReg reg) {
        long lo = readl(reg.offset());
        long hi = readl(reg.offset() + 4);
        return hi << 32 | lo;
    }

    public long readAs(int as, MaliAsReg reg) {
        return readl(MaliRegs.asOffset(as, reg));
    }

    public void writeAs(int as, MaliAsReg reg, long value) {
        writel(MaliRegs.asOffset(as, reg), value);
    }

    /// A 64-bit AS register written LO then HI.
    public void writeAs64(int as, MaliAsReg reg, long value) {
        writel(MaliRegs.asOffset(as, reg), value & 0xFFFF_FFFFL);
        writel(MaliRegs.asOffset(as, reg) + 4, value >>> 32);
    }

    public long readAs64(int as, MaliAsReg reg) {
        long lo = readl(MaliRegs.asOffset(as, reg));
        long hi = readl(MaliRegs.asOffset(as, reg) + 4);
        return hi << 32 | lo;
    }

    /// qtest `clock_step`.
    public void step(long ns) {
        clock.advance(ns);
    }

    public boolean line(int irq) {
        return pic.level(irq);
    }

    public long count(GuestErrors.Kind kind) {
        return errors.count(kind);
    }

    @Override
    public void close() {
        machine.close();
    }
}
