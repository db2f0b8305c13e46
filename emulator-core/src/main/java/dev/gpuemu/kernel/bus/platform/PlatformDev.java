package dev.gpuemu.kernel.bus.platform;

import dev.gpuemu.kernel.driver.BusDevice;
import dev.gpuemu.machine.FirmwareNode;

/// The kernel's platform device, created from a firmware node.
public final class PlatformDev extends BusDevice {
    private final FirmwareNode node;

    PlatformDev(PlatformBus bus, FirmwareNode node) {
        super(bus, node.name(), null);
        this.node = node;
    }

    public FirmwareNode firmwareNode() {
        return node;
    }

    @Override
    public String describe() {
        return "compatible " + String.join(", ", node.compatible());
    }
}
