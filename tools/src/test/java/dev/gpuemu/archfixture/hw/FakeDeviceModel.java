package dev.gpuemu.archfixture.hw;

/// Fixture: a device model that reaches into the kernel (violation).
public class FakeDeviceModel {
    public Object peekKernel() {
        return new dev.gpuemu.archfixture.kernel.FakeDriver();
    }
}
