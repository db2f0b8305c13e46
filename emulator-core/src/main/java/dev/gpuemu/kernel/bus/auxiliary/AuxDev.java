package dev.gpuemu.kernel.bus.auxiliary;

import dev.gpuemu.kernel.driver.BusDevice;

/// The kernel's auxiliary device: a child a parent driver created, named `modname.name.id`,
/// carrying the parent's optional registration data.
public final class AuxDev extends BusDevice {
    private final String modname;
    private final String devname;
    private final int id;
    private final Object data;

    AuxDev(AuxiliaryBus bus, BusDevice parent, String modname, String devname, int id, Object data) {
        super(bus, modname + "." + devname + "." + id, parent);
        this.modname = modname;
        this.devname = devname;
        this.id = id;
        this.data = data;
    }

    /// The match ID `modname.name`.
    public String matchId() {
        return modname + "." + devname;
    }

    public int id() {
        return id;
    }

    Object data() {
        return data;
    }

    @Override
    public String describe() {
        return "child of " + parent().map(p -> p.bus().name() + " " + p.name()).orElse("?")
                + (data == null ? "" : ", registration data " + data.getClass().getSimpleName());
    }
}
