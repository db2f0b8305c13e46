package dev.gpuemu.kernel.bus.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.board.Machine;
import dev.gpuemu.board.PciSlot;
import dev.gpuemu.hw.edu.EduDevice;
import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.drivers.edu.LeakingEduDriver;
import dev.gpuemu.machine.bus.AccessSize;
import dev.gpuemu.machine.pci.Bdf;
import dev.gpuemu.machine.pci.PciConfigSpace;
import dev.gpuemu.machine.pci.PciRootPort;
import java.util.List;
import org.junit.jupiter.api.Test;

/// A device on bus 1 sits behind the root port the board adds at `00:1c.0`; the kernel finds
/// the bridge on bus 0, follows its secondary bus number, and finds the device as
/// `0000:01:00.0` (a PC's discrete GPU address). Remove and rescan work behind the bridge.
class PciBridgeScanTest {
    private static final String DEV = "0000:01:00.0";

    private static Machine machine(LeakingEduDriver driver) {
        return Machine.builder()
                .pci(new PciSlot(new Bdf(1, 0, 0), hw -> new EduDevice(hw, DEV)))
                .module(k -> k.pciBus().register(driver))
                .build();
    }

    @Test
    void shouldFindTheRootPortOnBusZeroAndTheDeviceBehindItOnBusOne() throws KernelException {
        LeakingEduDriver driver = new LeakingEduDriver();
        try (Machine m = machine(driver)) {
            m.boot();
            Kernel k = m.kernel();
            Bdf port = new Bdf(0, 0x1c, 0);
            assertEquals(PciConfigSpace.HEADER_TYPE_BRIDGE,
                    k.hw().pci().configRead(port, PciConfigSpace.HEADER_TYPE, AccessSize.BYTE));
            assertEquals(0x0001_0100L, k.hw().pci().configRead(port, PciConfigSpace.PRIMARY_BUS, AccessSize.DWORD)
                    & 0xFF_FFFF, "primary 0, secondary 1, subordinate 1");
            PciDev bridge = k.pciBus().device("0000:00:1c.0").orElseThrow();
            assertEquals(PciRootPort.CLASS_CODE, bridge.classCode());
            assertTrue(bridge.bars().isEmpty(), "a root port has no BARs");
            PciDev dev = k.pciBus().device(DEV).orElseThrow();
            assertEquals("edu", dev.driverName().orElseThrow());
            assertEquals(List.of("probe"), driver.events);
            assertTrue(k.log().tail(100).stream().anyMatch(e -> e.message().contains("[1b36:000c] type 01 class "
                    + "0x060400 PCI bridge to [bus 01]")), "the scan logs the bridge");
        }
    }

    @Test
    void shouldRescanBehindTheBridgeAfterRemove() throws KernelException {
        LeakingEduDriver driver = new LeakingEduDriver();
        try (Machine m = machine(driver)) {
            m.boot();
            Kernel k = m.kernel();
            k.pciBus().remove(DEV);
            assertTrue(k.pciBus().device(DEV).isEmpty());
            List<PciDev> found = k.pciBus().rescan();
            assertEquals(List.of(DEV), found.stream().map(PciDev::name).toList());
            assertEquals(List.of("probe", "unbind", "probe"), driver.events);
            assertEquals(0, k.oopses().count());
        }
    }

    @Test
    void shouldRefuseBusesWithoutARootPortSlot() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Machine.builder()
                .pci(new PciSlot(new Bdf(5, 0, 0), hw -> new EduDevice(hw, "0000:05:00.0"))).build());
        assertEquals("PCI devices may sit on bus 0..4 (one root port per bus), not 5", e.getMessage());
    }
}
