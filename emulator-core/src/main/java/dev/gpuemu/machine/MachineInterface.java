package dev.gpuemu.machine;

import dev.gpuemu.machine.bus.MmioBus;
import dev.gpuemu.machine.irq.InterruptController;
import dev.gpuemu.machine.mem.SystemMemory;
import dev.gpuemu.machine.pci.PciHost;
import dev.gpuemu.machine.time.SimClock;
import java.util.List;
import java.util.Objects;

/// Everything the kernel may reach of the machine: the CPU's view of the physical address
/// space, the interrupt controller, system memory, PCI configuration access, the firmware's
/// device description, the firmware files (the emulated `/lib/firmware`) and simulated time. No
/// device model is reachable from here.
///
/// ## Thread safety
/// Immutable; each port documents its own thread safety.
public record MachineInterface(SimClock clock, MmioBus mmio, InterruptController interrupts, SystemMemory memory,
                               PciHost pci, List<FirmwareNode> firmware, FirmwareFiles firmwareFiles,
                               GuestErrors guestErrors) {

    public MachineInterface {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(mmio, "mmio");
        Objects.requireNonNull(interrupts, "interrupts");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(pci, "pci");
        Objects.requireNonNull(firmwareFiles, "firmwareFiles");
        Objects.requireNonNull(guestErrors, "guestErrors");
        firmware = List.copyOf(firmware);
    }
}
