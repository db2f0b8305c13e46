package dev.gpuemu.hw.edu;

import dev.gpuemu.board.Machine;
import dev.gpuemu.board.PciSlot;
import dev.gpuemu.machine.GuestErrors;
import dev.gpuemu.machine.bus.AccessSize;
import dev.gpuemu.machine.bus.MmioBus;
import dev.gpuemu.machine.irq.InterruptController;
import dev.gpuemu.machine.mem.SystemMemory;
import dev.gpuemu.machine.pci.Bdf;
import dev.gpuemu.machine.pci.PciConfigSpace;
import dev.gpuemu.machine.pci.PciHost;
import dev.gpuemu.machine.time.SimClock;

/// A qtest-like harness around one edu device: a machine substrate whose kernel is never booted
/// (no driver, no interrupt entry), with the test acting as firmware and CPU. The device is
/// reached only through PCI configuration space, the MMIO bus, the interrupt controller's line
/// levels and system memory, as QEMU's qtest reaches it.
///
/// ## Lifecycle
/// [#open] builds the machine and programs BAR0 and COMMAND; [#close] closes the machine once.
final class EduTestSupport implements AutoCloseable {
    /// Slot of the device: INTA# of device 4 swizzles to line `16 + (4 + 1 - 1) mod 4 = 16`.
    static final Bdf BDF = new Bdf(0, 4, 0);
    /// Where the harness places BAR0 (inside the 32-bit PCI window, 1 MiB aligned).
    static final long BAR0 = 0xFE00_0000L;
    /// The edu clock period in ns (100 MHz).
    static final long CYCLE_NS = 1_000_000_000L / EduDevice.CLOCK_HZ;

    final Machine machine;
    final SimClock clock;
    final MmioBus mmio;
    final PciHost pci;
    final InterruptController pic;
    final SystemMemory memory;
    final GuestErrors errors;

    private EduTestSupport(long ramBytes, int command) {
        machine = Machine.builder()
                .ramBytes(ramBytes)
                .pci(new PciSlot(BDF, hw -> new EduDevice(hw, BDF.toString())))
                .build();
        var hw = machine.kernel().hw();
        clock = machine.clock();
        mmio = hw.mmio();
        pci = hw.pci();
        pic = hw.interrupts();
        memory = hw.memory();
        errors = machine.guestErrors();
        pci.configWrite(BDF, PciConfigSpace.BAR0, AccessSize.DWORD, BAR0);
        pci.configWrite(BDF, PciConfigSpace.COMMAND, AccessSize.WORD, command);
    }

    /// A machine with `ramBytes` of RAM, BAR0 at [#BAR0] and the given COMMAND bits.
    static EduTestSupport open(long ramBytes, int command) {
        return new EduTestSupport(ramBytes, command);
    }

    /// A machine with 2 MiB of RAM, memory decoding and bus mastering on.
    static EduTestSupport open() {
        return open(2L << 20, PciConfigSpace.COMMAND_MEMORY | PciConfigSpace.COMMAND_BUS_MASTER);
    }

    long readl(long offset) {
        return mmio.read(BAR0 + offset, AccessSize.DWORD);
    }

    void writel(long offset, long value) {
        mmio.write(BAR0 + offset, AccessSize.DWORD, value);
    }

    long readq(long offset) {
        return mmio.read(BAR0 + offset, AccessSize.QWORD);
    }

    void writeq(long offset, long value) {
        mmio.write(BAR0 + offset, AccessSize.QWORD, value);
    }

    long readw(long offset) {
        return mmio.read(BAR0 + offset, AccessSize.WORD);
    }

    /// The interrupt controller line firmware routed the device to (INTERRUPT_LINE).
    int irqLine() {
        return (int) pci.configRead(BDF, PciConfigSpace.INTERRUPT_LINE, AccessSize.BYTE);
    }

    /// The level the device drives on its INTx line.
    boolean irqLevel() {
        return pic.level(irqLine());
    }

    /// qtest `clock_step`: lets `cycles` edu clock cycles pass.
    void stepCycles(long cycles) {
        clock.advance(cycles * CYCLE_NS);
    }

    long count(GuestErrors.Kind kind) {
        return errors.count(kind);
    }

    @Override
    public void close() {
        machine.close();
    }
}
