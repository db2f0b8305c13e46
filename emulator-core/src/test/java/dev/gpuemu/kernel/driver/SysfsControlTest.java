package dev.gpuemu.kernel.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.board.Machine;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.KernelException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/// The sysfs control surface: bind, unbind and driver_override with the kernel's errnos.
class SysfsControlTest {
    private Machine machine;
    private DriverCore core;
    private Sysfs sysfs;
    private TestBus bus;

    @BeforeEach
    void setUp() throws KernelException {
        machine = Machine.builder().build();
        core = machine.kernel().driverCore();
        sysfs = machine.kernel().sysfs();
        bus = new TestBus(core);
        bus.register("alpha", d -> d.name().startsWith("a"), dev -> new Object(), (dev, data) -> { });
        bus.register("beta", d -> d.name().startsWith("b"), dev -> new Object(), (dev, data) -> { });
    }

    @AfterEach
    void tearDown() {
        machine.close();
    }

    private static int neg(Errno e) {
        return e.negative();
    }

    @Test
    void shouldReturnEbusyWhenBindingAnAlreadyBoundDevice() throws KernelException {
        bus.add("a0");
        assertEquals(neg(Errno.EBUSY), sysfs.bind("test", "alpha", "a0"));
    }

    @Test
    void shouldRebindAfterUnbind() throws KernelException {
        TestBus.Dev d = bus.add("a0");
        assertEquals(0, sysfs.unbind("test", "alpha", "a0"));
        assertFalse(d.isBound());
        assertEquals(0, sysfs.bind("test", "alpha", "a0"));
        assertTrue(d.isBound());
    }

    @Test
    void shouldReturnEnodevForUnknownDeviceDriverOrBus() throws KernelException {
        bus.add("a0");
        assertEquals(neg(Errno.ENODEV), sysfs.bind("test", "alpha", "nosuch"));
        assertEquals(neg(Errno.ENODEV), sysfs.bind("test", "nosuch", "a0"));
        assertEquals(neg(Errno.ENODEV), sysfs.bind("nosuch", "alpha", "a0"));
        assertEquals(neg(Errno.ENODEV), sysfs.unbind("test", "alpha", "nosuch"));
    }

    @Test
    void shouldReturnEnodevWhenBindingADriverThatDoesNotMatch() throws KernelException {
        bus.add("a0");
        sysfs.unbind("test", "alpha", "a0");
        assertEquals(neg(Errno.ENODEV), sysfs.bind("test", "beta", "a0"));
    }

    @Test
    void shouldReturnEnodevWhenUnbindingFromAnotherDriver() throws KernelException {
        TestBus.Dev d = bus.add("a0");
        assertEquals(neg(Errno.ENODEV), sysfs.unbind("test", "beta", "a0"));
        assertTrue(d.isBound());
    }

    @Test
    void shouldReturnEnodevWhenUnbindingAnUnboundDevice() throws KernelException {
        bus.add("c0");
        assertEquals(neg(Errno.ENODEV), sysfs.unbind("test", "alpha", "c0"));
    }

    @Test
    void shouldPropagateProbeErrorThroughBind() throws KernelException {
        bus.register("gamma", d -> d.name().startsWith("g"), dev -> {
            throw new KernelException(Errno.ETIMEDOUT);
        }, (dev, data) -> { });
        bus.add("g0");
        assertEquals(neg(Errno.ETIMEDOUT), sysfs.bind("test", "gamma", "g0"));
    }

    @Test
    void shouldReportDeferralAsEagainAndRetryWhenAnotherDriverBinds() throws KernelException {
        AtomicBoolean supplierReady = new AtomicBoolean();
        bus.register("consumer", d -> d.name().equals("consumer0"), dev -> {
            if (!supplierReady.get()) {
                throw new KernelException(Errno.EPROBE_DEFER);
            }
            return new Object();
        }, (dev, data) -> { });
        TestBus.Dev consumer = bus.add("consumer0");
        assertFalse(consumer.isBound());
        assertTrue(core.deferredDevices().contains(consumer));
        assertEquals(neg(Errno.EAGAIN), sysfs.bind("test", "consumer", "consumer0"));

        supplierReady.set(true);
        bus.register("supplier", d -> d.name().equals("supplier0"), dev -> new Object(), (dev, data) -> { });
        bus.add("supplier0");
        assertTrue(consumer.isBound(), "deferred probe retried after the supplier bound");
        assertTrue(core.deferredDevices().isEmpty());
    }

    @Test
    void shouldRestrictMatchingToTheOverrideDriverWithoutBinding() throws KernelException {
        TestBus.Dev d = bus.add("a0");
        assertEquals(0, sysfs.setDriverOverride("test", "a0", "beta"));
        assertTrue(d.isBound(), "writing driver_override does not unbind");
        assertEquals("beta", d.driverOverride().orElseThrow());
        sysfs.unbind("test", "alpha", "a0");
        assertEquals(neg(Errno.ENODEV), sysfs.bind("test", "alpha", "a0"), "ID match ignored under override");
        assertEquals(0, sysfs.bind("test", "beta", "a0"), "override matches a driver the ID table would not");
        assertEquals("beta", d.driverName().orElseThrow());
    }

    @Test
    void shouldClearOverrideWithEmptyValue() throws KernelException {
        TestBus.Dev d = bus.add("a0");
        sysfs.setDriverOverride("test", "a0", "beta");
        assertEquals(0, sysfs.setDriverOverride("test", "a0", "\n"));
        assertTrue(d.driverOverride().isEmpty());
        sysfs.unbind("test", "alpha", "a0");
        assertEquals(0, sysfs.bind("test", "alpha", "a0"));
    }

    @Test
    void shouldReturnEnodevWhenOverridingUnknownDevice() {
        assertEquals(neg(Errno.ENODEV), sysfs.setDriverOverride("test", "nosuch", "alpha"));
    }
}
