package dev.gpuemu.kernel.bus.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.board.Machine;
import dev.gpuemu.board.PciSlot;
import dev.gpuemu.hw.edu.EduDevice;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.Core;
import dev.gpuemu.machine.pci.Bdf;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/// Matching a PCI driver's ID table by vendor/device or by class, as `pci_match_id` does.
class PciMatchTest {
    private Machine machine;

    record Driver(String name, List<PciDeviceId> idTable) implements PciDriver<Object> {
        @Override
        public Object probe(PciDevice<Core> pdev) {
            return new Object();
        }
    }

    private PciDev bootWith(Driver driver) throws KernelException {
        machine = Machine.builder()
                .pci(new PciSlot(new Bdf(0, 3, 0), hw -> new EduDevice(hw, "0000:00:03.0")))
                .module(k -> k.pciBus().register(driver))
                .build();
        machine.boot();
        return machine.kernel().pciBus().device("0000:00:03.0").orElseThrow();
    }

    @AfterEach
    void tearDown() {
        machine.close();
    }

    @Test
    void shouldMatchByClassUnderMaskWithAnyVendor() throws KernelException {
        PciDev dev = bootWith(new Driver("by-class", List.of(PciDeviceId.ofClass(PciDeviceId.ANY, 0x00FF00, 0xFFFF00))));
        assertEquals("by-class", dev.driverName().orElseThrow());
    }

    @Test
    void shouldNotMatchAnotherClassOrAnotherDevice() throws KernelException {
        PciDev dev = bootWith(new Driver("vga-only", List.of(
                PciDeviceId.ofClass(0x10DE, 0x030000, 0xFFFF00),
                PciDeviceId.of(0x1234, 0x1111))));
        assertTrue(dev.driverName().isEmpty());
    }

    @Test
    void shouldRouteTheSlotsInterruptThroughTheSwizzle() throws KernelException {
        PciDev dev = bootWith(new Driver("by-id", List.of(PciDeviceId.of(0x1234, 0x11E8))));
        assertEquals(Machine.PCI_INTX_BASE + 3, dev.irq(), "slot 3, INTA: 16 + (3 + 1 - 1) mod 4");
    }
}
