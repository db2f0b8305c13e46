package dev.gpuemu.kernel.bus.faux;

import dev.gpuemu.kernel.driver.BusDevice;

/// The kernel's faux device: no hardware, bound to the faux bus's single driver, which runs the
/// device's own [FauxOps].
public final class FauxDev extends BusDevice {
    final FauxOps<?> ops;

    FauxDev(FauxBus bus, String name, BusDevice parent, FauxOps<?> ops) {
        super(bus, name, parent);
        this.ops = ops;
    }

    @Override
    public String describe() {
        return "faux device";
    }
}
