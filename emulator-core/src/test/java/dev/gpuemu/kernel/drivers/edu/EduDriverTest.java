package dev.gpuemu.kernel.drivers.edu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.board.Machine;
import dev.gpuemu.board.PciSlot;
import dev.gpuemu.hw.edu.EduDevice;
import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.UseAfterUnbindException;
import dev.gpuemu.kernel.bus.pci.PciDev;
import dev.gpuemu.kernel.log.LogEntry;
import dev.gpuemu.machine.pci.Bdf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EduDriverTest {
    static final String BDF = "0000:00:04.0";
    private Machine machine;

    private Kernel boot(Object driver) throws KernelException {
        machine = Machine.builder()
                .pci(new PciSlot(new Bdf(0, 4, 0), hw -> new EduDevice(hw, BDF)))
                .module(k -> {
                    if (driver instanceof LeakingEduDriver l) {
                        k.pciBus().register(l);
                    } else {
                        k.pciBus().register((EduDriver) driver);
                    }
                })
                .build();
        machine.boot();
        return machine.kernel();
    }

    @AfterEach
    void tearDown() {
        if (machine != null) {
            machine.close();
        }
    }

    private boolean logged(String text) {
        return machine.kernel().log().tail(200).stream().map(LogEntry::message).anyMatch(m -> m.contains(text));
    }

    @Test
    void shouldProbeAndPassFactorialAndDmaSelfTestsInSimulatedTime() throws KernelException {
        Kernel k = boot(new EduDriver());
        PciDev dev = k.pciBus().device(BDF).orElseThrow();
        assertEquals("edu", dev.driverName().orElseThrow());
        assertTrue(logged("edu device v1.0"));
        assertTrue(logged("factorial(10) = 3628800 by interrupt after 1000 ns"),
                "10 steps x 10 cycles at 100 MHz = 1000 ns of simulated time");
        assertTrue(logged("DMA self-test passed: 4096 bytes each way"));
        assertEquals(0, machine.guestErrors().total());
        assertEquals(0, k.oopses().count());
    }

    @Test
    void shouldCountOopsWhenBarMappingIsUsedAfterUnbind() throws KernelException {
        LeakingEduDriver drv = new LeakingEduDriver();
        Kernel k = boot(drv);
        assertEquals(0x010000ED, drv.data.get().bar().read32(0), "valid while bound");
        assertEquals(0, k.sysfs().unbind("pci", "edu", BDF));
        assertEquals(0, k.oopses().count(), "driver data dropped before devres unmapped the BAR");
        assertThrows(UseAfterUnbindException.class, () -> drv.data.get().bar().read32(0));
        assertEquals(1, k.oopses().count());
        assertTrue(logged("Oops: use after unbind: edu/bar0 read32(0x0)"));
    }

    @Test
    void shouldCountOopsWhenDmaBufferOrCoreViewIsUsedAfterUnbind() throws KernelException {
        LeakingEduDriver drv = new LeakingEduDriver();
        Kernel k = boot(drv);
        drv.buffer.get().write32(0, 42);
        k.sysfs().unbind("pci", "edu", BDF);
        assertThrows(UseAfterUnbindException.class, () -> drv.buffer.get().read32(0));
        assertThrows(UseAfterUnbindException.class, () -> drv.coreView.get().iomapRegion(0, "again"));
        assertEquals(2, k.oopses().count());
        assertEquals(0, machine.kernel().hw().memory().pagesInUse(), "the leaked buffer's pages were freed");
    }

    @Test
    void shouldFreeIrqAtUnbindAndRebindCleanly() throws KernelException {
        LeakingEduDriver drv = new LeakingEduDriver();
        Kernel k = boot(drv);
        EduData first = drv.data.get();
        assertTrue(first.irq().isActive());
        k.sysfs().unbind("pci", "edu", BDF);
        assertFalse(first.irq().isActive());
        assertThrows(IllegalStateException.class, () -> first.irq().free());
        assertEquals(0, k.sysfs().bind("pci", "edu", BDF));
        assertTrue(drv.data.get().irq().isActive());
        assertEquals(java.util.List.of("probe", "unbind", "probe"), drv.events);
        assertEquals(0, k.oopses().count());
    }
}
