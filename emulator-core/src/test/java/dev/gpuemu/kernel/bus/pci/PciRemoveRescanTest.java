package dev.gpuemu.kernel.bus.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.board.Machine;
import dev.gpuemu.board.PciSlot;
import dev.gpuemu.hw.edu.EduDevice;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.UseAfterUnbindException;
import dev.gpuemu.kernel.drivers.edu.LeakingEduDriver;
import dev.gpuemu.machine.bus.AccessSize;
import dev.gpuemu.machine.pci.Bdf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/// `/sys/bus/pci/devices/BDF/remove` and `/sys/bus/pci/rescan` (IGT core_hotunplug's
/// unplug-rescan and hotunplug-rescan, without DRM).
class PciRemoveRescanTest {
    static final String BDF = "0000:00:04.0";
    private Machine machine;
    private Kernel kernel;
    private final LeakingEduDriver driver = new LeakingEduDriver();

    @BeforeEach
    void setUp() throws KernelException {
        machine = Machine.builder()
                .pci(new PciSlot(new Bdf(0, 4, 0), hw -> new EduDevice(hw, BDF)))
                .module(k -> k.pciBus().register(driver))
                .build();
        machine.boot();
        kernel = machine.kernel();
    }

    @AfterEach
    void tearDown() {
        machine.close();
    }

    @Test
    void shouldUnbindAndDeleteOnRemoveThenFindAndBindAgainOnRescan() throws KernelException {
        PciDev before = kernel.pciBus().device(BDF).orElseThrow();
        long bar = before.bars().getFirst().base();

        kernel.pciBus().remove(BDF);
        assertTrue(kernel.pciBus().device(BDF).isEmpty(), "gone from /sys/bus/pci/devices");
        assertTrue(before.isDeleted());
        assertEquals(java.util.List.of("probe", "unbind"), driver.events);
        assertTrue(kernel.ioResources().claims().isEmpty(), "BAR claim released");
        assertEquals(0, kernel.hw().pci().configRead(new Bdf(0, 4, 0), PciBus.COMMAND, AccessSize.WORD) & 0x6,
                "decoding and bus mastering off");

        assertEquals(1, kernel.pciBus().rescan().size());
        PciDev after = kernel.pciBus().device(BDF).orElseThrow();
        assertNotSame(before, after, "rescan creates a new device");
        assertEquals("edu", after.driverName().orElseThrow());
        assertEquals(bar, after.bars().getFirst().base(), "the BAR keeps its assignment");
        assertEquals(java.util.List.of("probe", "unbind", "probe"), driver.events);
        assertEquals(0, kernel.oopses().count());
    }

    @Test
    void shouldFindNothingNewOnRescanWithoutRemove() throws KernelException {
        assertTrue(kernel.pciBus().rescan().isEmpty());
    }

    @Test
    void shouldReturnEnodevWhenRemovingAnAbsentDevice() throws KernelException {
        kernel.pciBus().remove(BDF);
        KernelException e = assertThrows(KernelException.class, () -> kernel.pciBus().remove(BDF));
        assertEquals(Errno.ENODEV, e.errno());
        assertEquals(-Errno.ENODEV.code(), kernel.sysfs().bind("pci", "edu", BDF));
    }

    @Test
    void shouldCountOopsForHandleKeptAcrossRemove() throws KernelException {
        var leaked = driver.data.get();
        kernel.pciBus().remove(BDF);
        assertThrows(UseAfterUnbindException.class, () -> leaked.bar().write32(0x04, 1));
        assertEquals(1, kernel.oopses().count());
    }
}
