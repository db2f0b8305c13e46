package dev.gpuemu.kernel.bus.auxiliary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.board.Machine;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.Core;
import dev.gpuemu.kernel.driver.TestBus;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuxiliaryRegistrationTest {
    private Machine machine;
    private Kernel kernel;
    private TestBus parents;
    private final List<String> events = new CopyOnWriteArrayList<>();

    /// The parent's registration data; records its drop.
    record SharedState(String label, List<String> events) implements AutoCloseable {
        @Override
        public void close() {
            events.add("registration data dropped");
        }
    }

    /// The parent's driver data owns the registration (as nova-core does).
    record ParentData(AuxiliaryRegistration<SharedState> reg, List<String> events) implements AutoCloseable {
        @Override
        public void close() {
            events.add("parent driver data dropped");
            reg.close();
        }
    }

    @BeforeEach
    void setUp() throws KernelException {
        machine = Machine.builder().build();
        kernel = machine.kernel();
        parents = new TestBus(kernel.driverCore());
    }

    @AfterEach
    void tearDown() {
        machine.close();
    }

    private void registerChildDriver(AtomicReference<String> seenLabel) throws KernelException {
        kernel.auxiliaryBus().register(new AuxiliaryDriver<Object>() {
            @Override
            public String name() {
                return "child";
            }

            @Override
            public List<String> idTable() {
                return List.of("Parent.child");
            }

            @Override
            public Object probe(AuxiliaryDevice<Core> adev) throws KernelException {
                seenLabel.set(adev.registrationData(SharedState.class).label());
                return new Object();
            }

            @Override
            public void unbind(AuxiliaryDevice<Core> adev, Object data) {
                events.add("child unbound");
            }
        });
    }

    @Test
    void shouldUnbindAuxiliaryChildBeforeDroppingRegistrationData() throws KernelException {
        AtomicReference<String> label = new AtomicReference<>();
        registerChildDriver(label);
        parents.register("parent", d -> true, dev -> new ParentData(AuxiliaryRegistration.create(dev, "Parent",
                "child", kernel.auxiliaryBus().allocateId(), new SharedState("gpu0", events)), events),
                (dev, data) -> events.add("parent unbind callback"));
        parents.add("p0");
        assertEquals("gpu0", label.get(), "child read the parent's registration data in probe");
        assertEquals(1, kernel.auxiliaryBus().devices().size());

        assertEquals(0, kernel.sysfs().unbind("test", "parent", "p0"));
        assertEquals(List.of("parent unbind callback", "parent driver data dropped", "child unbound",
                "registration data dropped"), events);
        assertTrue(kernel.auxiliaryBus().devices().isEmpty());
    }

    @Test
    void shouldReleaseForgottenRegistrationThroughParentDevres() throws KernelException {
        AtomicReference<String> label = new AtomicReference<>();
        registerChildDriver(label);
        parents.register("parent", d -> true, dev -> {
            AuxiliaryRegistration.create(dev, "Parent", "child", 7, new SharedState("x", events));
            return new Object();
        }, (dev, data) -> { });
        parents.add("p0");
        kernel.sysfs().unbind("test", "parent", "p0");
        assertEquals(List.of("child unbound", "registration data dropped"), events);
    }

    @Test
    void shouldAnswerEinvalForWrongDataTypeAndEnoentForNoData() throws KernelException {
        AtomicReference<Errno> wrongType = new AtomicReference<>();
        AtomicReference<Errno> none = new AtomicReference<>();
        kernel.auxiliaryBus().register(new AuxiliaryDriver<Object>() {
            @Override
            public String name() {
                return "probe-types";
            }

            @Override
            public List<String> idTable() {
                return List.of("Parent.typed", "Parent.empty");
            }

            @Override
            public Object probe(AuxiliaryDevice<Core> adev) {
                AtomicReference<Errno> slot = adev.name().startsWith("Parent.typed") ? wrongType : none;
                try {
                    adev.registrationData(Integer.class);
                } catch (KernelException e) {
                    slot.set(e.errno());
                }
                return new Object();
            }
        });
        parents.register("parent", d -> true, dev -> List.of(
                AuxiliaryRegistration.create(dev, "Parent", "typed", 0, "a string"),
                AuxiliaryRegistration.create(dev, "Parent", "empty", 1, null)), (dev, data) -> { });
        parents.add("p0");
        assertEquals(Errno.EINVAL, wrongType.get());
        assertEquals(Errno.ENOENT, none.get());
    }

    @Test
    void shouldThrowOnSecondCloseOfRegistration() throws KernelException {
        AtomicReference<AuxiliaryRegistration<SharedState>> reg = new AtomicReference<>();
        parents.register("parent", d -> true, dev -> {
            reg.set(AuxiliaryRegistration.create(dev, "Parent", "child", 0, new SharedState("x", events)));
            return new Object();
        }, (dev, data) -> { });
        parents.add("p0");
        reg.get().close();
        assertFalse(events.isEmpty());
        assertThrows(IllegalStateException.class, () -> reg.get().close());
    }
}
