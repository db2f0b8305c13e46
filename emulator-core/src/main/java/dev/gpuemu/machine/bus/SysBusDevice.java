package dev.gpuemu.machine.bus;

import dev.gpuemu.machine.irq.IrqLine;
import java.util.List;

/// What a platform device model implements to sit directly on the [MmioBus] (QEMU's
/// `SysBusDevice`): a fixed list of MMIO regions the board maps at the addresses the firmware
/// description gives, and interrupt outputs the board wires to controller lines.
///
/// ## Invariants
/// [#regions()] returns the same regions, in the same order, for the model's whole life; region
/// `i` is mapped at the firmware node's `reg[i]` base and must have exactly its size.
public interface SysBusDevice {
    /// The model's MMIO regions, in the order of the firmware node's `reg` entries.
    List<MmioRegion> regions();

    /// Wires the model's interrupt outputs, in the order of the firmware node's `interrupts`
    /// (after the regions are mapped). Models without interrupts ignore it.
    default void connectIrqs(List<IrqLine> lines) {
    }
}
