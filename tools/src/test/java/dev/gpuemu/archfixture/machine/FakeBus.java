package dev.gpuemu.archfixture.machine;

/// Fixture: substrate code that knows a device model (violation).
public class FakeBus {
    public Object model() {
        return new dev.gpuemu.archfixture.hw.FakeDeviceModel();
    }
}
