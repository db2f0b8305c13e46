package dev.gpuemu.kernel.bus.faux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.board.Machine;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.Core;
import dev.gpuemu.kernel.driver.Device;
import dev.gpuemu.kernel.driver.Devres;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/// Faux devices (`faux_device_create` / `faux_device_destroy`): probed at creation by the bus's
/// single driver, gone again when their probe fails or they are closed.
class FauxBusTest {
    private Machine machine;
    private Kernel kernel;
    private final List<String> events = new ArrayList<>();

    @BeforeEach
    void setUp() throws KernelException {
        machine = Machine.builder().ramBytes(1 << 20).build();
        machine.boot();
        kernel = machine.kernel();
    }

    @AfterEach
    void tearDown() {
        machine.close();
    }

    /// Driver data that records its drop.
    private final class Data implements AutoCloseable {
        @Override
        public void close() {
            events.add("drop");
        }
    }

    /// Ops that record probe and unbind and add one devres action.
    private final class RecordingOps implements FauxOps<Data> {
        @Override
        public Data probe(Device<Core> dev) {
            events.add("probe " + dev.name());
            Devres.add(dev, "rec", () -> events.add("devres"));
            return new Data();
        }

        @Override
        public void unbind(Device<Core> dev, Data data) {
            dev.checkProof("unbind callback");
            events.add("unbind " + dev.name());
        }
    }

    private boolean present(String name) {
        return kernel.fauxBus().device(name).isPresent();
    }

    @Test
    void shouldProbeAtCreateAndShowDeviceBoundToFauxDriver() throws KernelException {
        FauxDevice fd = FauxDevice.create(kernel, "vgem", new RecordingOps());
        assertEquals(List.of("probe vgem"), events);
        FauxDev dev = kernel.fauxBus().device("vgem").orElseThrow();
        assertTrue(dev.isBound());
        assertEquals(FauxBus.DRIVER, dev.driverName().orElseThrow());
        assertEquals(List.of(FauxBus.DRIVER), kernel.fauxBus().driverNames());
        assertEquals("vgem", fd.device().name());
        assertEquals("faux", fd.device().busName());
        fd.close();
    }

    @Test
    void shouldThrowProbeErrorAndLeaveNoDeviceWhenProbeFails() throws KernelException {
        KernelException e = assertThrows(KernelException.class, () -> FauxDevice.create(kernel, "vgem", dev -> {
            Devres.add(dev, "partial", () -> events.add("devres partial"));
            throw new KernelException(Errno.ENOMEM, "no memory for the device");
        }));
        assertEquals(Errno.ENOMEM, e.errno());
        assertEquals(List.of("devres partial"), events);
        assertTrue(kernel.fauxBus().devices().isEmpty());
        // The name is free again.
        FauxDevice.create(kernel, "vgem", new RecordingOps()).close();
    }

    @Test
    void shouldRejectSecondDeviceWithSameNameAsEexist() throws KernelException {
        FauxDevice first = FauxDevice.create(kernel, "vgem", new RecordingOps());
        KernelException e = assertThrows(KernelException.class,
                () -> FauxDevice.create(kernel, "vgem", new RecordingOps()));
        assertEquals(Errno.EEXIST, e.errno());
        assertEquals(List.of("probe vgem"), events);
        assertTrue(kernel.fauxBus().device("vgem").orElseThrow().isBound());
        first.close();
    }

    @Test
    void shouldUnbindThenDropDataThenReleaseDevresThenRemoveOnClose() throws KernelException {
        FauxDevice fd = FauxDevice.create(kernel, "vgem", new RecordingOps());
        FauxDev dev = kernel.fauxBus().device("vgem").orElseThrow();
        fd.close();
        assertEquals(List.of("probe vgem", "unbind vgem", "drop", "devres"), events);
        assertFalse(present("vgem"));
        assertTrue(dev.isDeleted());
        assertFalse(dev.isBound());
        assertEquals(0, kernel.oopses().count());
    }

    @Test
    void shouldThrowOnSecondClose() throws KernelException {
        FauxDevice fd = FauxDevice.create(kernel, "vgem", new RecordingOps());
        fd.close();
        assertThrows(IllegalStateException.class, fd::close);
        assertEquals(List.of("probe vgem", "unbind vgem", "drop", "devres"), events);
    }
}
