package dev.gpuemu.kernel.driver;

import dev.gpuemu.kernel.KernelException;
import java.util.function.Predicate;

/// A minimal bus for driver-core tests: devices are named, drivers match by predicate, probe and
/// unbind are lambdas receiving the Core view.
public final class TestBus extends BusType<TestBus.Dev> {

    public TestBus(DriverCore core) {
        super(core, "test");
    }

    public static final class Dev extends BusDevice {
        Dev(TestBus bus, String name) {
            super(bus, name, null);
        }

        @Override
        public String describe() {
            return "test device";
        }
    }

    public interface Probe<T> {
        T probe(Device<Core> dev) throws KernelException;
    }

    public interface Unbind<T> {
        void unbind(Device<Core> dev, T data);
    }

    @Override
    protected boolean idMatch(Dev device, DriverEntry<Dev> driver) {
        return driver.idMatch().test(device);
    }

    public Dev add(String name) throws KernelException {
        Dev d = new Dev(this, name);
        addDevice(d);
        return d;
    }

    public void delete(Dev d) {
        deleteDevice(d);
    }

    @SuppressWarnings("unchecked")
    public <T> void register(String name, Predicate<Dev> match, Probe<T> probe, Unbind<T> unbind) throws KernelException {
        registerDriver(new DriverEntry<Dev>(name, match,
                (dev, core, binding) -> probe.probe(new Device<Core>(dev, core)),
                (dev, core, binding, data) -> unbind.unbind(new Device<Core>(dev, core), (T) data)));
    }
}
