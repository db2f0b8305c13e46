package dev.gpuemu.kernel.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.board.Machine;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.UseAfterUnbindException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DriverCoreTest {
    private Machine machine;
    private Kernel kernel;
    private TestBus bus;
    private final List<String> events = new ArrayList<>();

    @BeforeEach
    void setUp() {
        machine = Machine.builder().build();
        kernel = machine.kernel();
        bus = new TestBus(kernel.driverCore());
    }

    @AfterEach
    void tearDown() {
        machine.close();
    }

    /// Driver data that records when it is dropped.
    private final class Data implements AutoCloseable {
        @Override
        public void close() {
            events.add("drop driver data");
        }
    }

    private void registerRecordingDriver() throws KernelException {
        bus.register("rec", d -> true, dev -> {
            events.add("probe");
            Devres.add(dev, "first", () -> events.add("devres first"));
            Devres.add(dev, "second", () -> events.add("devres second"));
            Devres.add(dev, "third", () -> events.add("devres third"));
            return new Data();
        }, (dev, data) -> events.add("unbind callback"));
    }

    @Test
    void shouldUnbindInOrderRemoveThenDriverDataThenDevresLifo() throws KernelException {
        registerRecordingDriver();
        bus.add("dev0");
        assertEquals(0, kernel.sysfs().unbind("test", "rec", "dev0"));
        assertEquals(List.of("probe", "unbind callback", "drop driver data",
                "devres third", "devres second", "devres first"), events);
    }

    @Test
    void shouldReleaseDevresLifoWhenProbeFails() throws KernelException {
        bus.register("failing", d -> true, dev -> {
            Devres.add(dev, "a", () -> events.add("devres a"));
            Devres.add(dev, "b", () -> events.add("devres b"));
            throw new KernelException(Errno.EIO);
        }, (dev, data) -> events.add("unbind must not run"));
        TestBus.Dev d = bus.add("dev0");
        assertEquals(List.of("devres b", "devres a"), events);
        assertFalse(d.isBound());
        assertTrue(kernel.log().tail(5).stream().anyMatch(e -> e.message().equals(
                "failing: probe of dev0 failed with error -5")));
    }

    @Test
    void shouldBindMatchingDeviceWhenDriverRegistersAfterDevice() throws KernelException {
        TestBus.Dev d = bus.add("late");
        assertFalse(d.isBound());
        registerRecordingDriver();
        assertTrue(d.isBound());
        assertEquals("rec", d.driverName().orElseThrow());
    }

    @Test
    void shouldRunDevresReleaseEarlyAndOnlyOnce() throws KernelException {
        AtomicReference<Devres.Action> action = new AtomicReference<>();
        bus.register("early", d -> true, dev -> {
            action.set(Devres.add(dev, "x", () -> events.add("released x")));
            return new Object();
        }, (dev, data) -> { });
        bus.add("dev0");
        assertTrue(action.get().release());
        assertFalse(action.get().release());
        kernel.sysfs().unbind("test", "early", "dev0");
        assertEquals(List.of("released x"), events);
    }

    @Test
    void shouldCountOopsWhenCoreViewIsUsedAfterProbeReturned() throws KernelException {
        AtomicReference<Device<Core>> leaked = new AtomicReference<>();
        bus.register("leaky", d -> true, dev -> {
            leaked.set(dev);
            return new Object();
        }, (dev, data) -> { });
        bus.add("dev0");
        long before = kernel.oopses().count();
        assertThrows(UseAfterUnbindException.class, () -> Devres.add(leaked.get(), "late", () -> { }));
        assertEquals(before + 1, kernel.oopses().count());
    }

    @Test
    void shouldRejectDeviceResourceAccessWithAnotherDeviceAsEinval() throws KernelException {
        AtomicReference<DeviceResource<String>> res = new AtomicReference<>();
        AtomicReference<Errno> seen = new AtomicReference<>();
        bus.register("res", d -> d.name().equals("a"), dev -> {
            res.set(DeviceResource.register(dev, "str", "hello"));
            return new Object();
        }, (dev, data) -> { });
        bus.register("other", d -> d.name().equals("b"), dev -> {
            try {
                res.get().access(dev);
            } catch (KernelException e) {
                seen.set(e.errno());
            }
            return new Object();
        }, (dev, data) -> { });
        bus.add("a");
        bus.add("b");
        assertEquals(Errno.EINVAL, seen.get());
    }

    @Test
    void shouldRevokeDeviceResourceAtUnbind() throws KernelException {
        AtomicReference<DeviceResource<String>> res = new AtomicReference<>();
        bus.register("res", d -> true, dev -> {
            res.set(DeviceResource.register(dev, "str", "hello"));
            assertEquals("hello", res.get().access(dev));
            return new Object();
        }, (dev, data) -> { });
        bus.add("a");
        assertEquals("hello", res.get().tryAccessWith(s -> s).orElseThrow());
        kernel.sysfs().unbind("test", "res", "a");
        assertTrue(res.get().tryAccessWith(s -> s).isEmpty());
    }

    @Test
    void shouldNotProbeDeletedDevice() throws KernelException {
        registerRecordingDriver();
        TestBus.Dev d = bus.add("dev0");
        bus.delete(d);
        assertTrue(d.isDeleted());
        assertFalse(d.isBound());
        assertTrue(bus.device("dev0").isEmpty());
        assertEquals(-Errno.ENODEV.code(), kernel.sysfs().bind("test", "rec", "dev0"));
    }
}
