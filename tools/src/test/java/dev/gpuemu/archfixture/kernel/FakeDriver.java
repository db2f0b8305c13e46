package dev.gpuemu.archfixture.kernel;

/// Fixture: a driver that touches a device model object directly (violation).
public class FakeDriver {
    public Object cheat() {
        return new dev.gpuemu.archfixture.hw.FakeDeviceModel();
    }
}
