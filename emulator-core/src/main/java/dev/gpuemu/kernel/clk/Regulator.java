package dev.gpuemu.kernel.clk;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.bus.platform.PlatformDev;
import dev.gpuemu.kernel.driver.Bound;
import dev.gpuemu.kernel.driver.Device;
import dev.gpuemu.kernel.driver.Devres;
import dev.gpuemu.kernel.driver.Scope;
import dev.gpuemu.kernel.uapi.Errno;

/// A consumer handle to a power supply of a device (`struct regulator` from
/// `devm_regulator_get`).
///
/// Supplies come from the firmware node (`mali-supply` is listed as `mali`). As in Linux, a
/// supply the node does not describe is served by the **dummy regulator** with the warning
/// `NAME-supply not found, using dummy regulator`; [#getExclusive] (`regulator_get_exclusive`
/// semantics without the exclusivity) instead fails with `ENODEV` for a missing supply.
///
/// ## Invariants
/// This handle's enables are balanced: [#disable] without a matching [#enable] is a kernel bug
/// (oops, Linux: `unbalanced disables`).
///
/// ## Thread safety
/// Thread-safe.
///
/// ## Lifecycle
/// got while bound → put by devres at unbind; if the driver left it enabled, devres disables it
/// first (as `devm_regulator_get_enable` does) so no supply stays on for an unbound device.
public final class Regulator {
    private final ClkCore core;
    private final String key;
    private final String name;
    private final boolean dummy;
    private final Scope scope;
    private int enabled; // guarded by this

    private Regulator(ClkCore core, String key, String name, boolean dummy, Scope scope) {
        this.core = core;
        this.key = key;
        this.name = name;
        this.dummy = dummy;
        this.scope = scope;
    }

    /// `devm_regulator_get(dev, name)`: the supply, or the dummy regulator (with a warning).
    public static Regulator get(Device<? extends Bound> dev, String name) throws KernelException {
        boolean found = described(dev, name);
        if (!found) {
            dev.warn(name + "-supply not found, using dummy regulator");
        }
        return create(dev, name, !found);
    }

    /// Like [#get] but `ENODEV` (logged) for a supply the node does not describe.
    public static Regulator getExclusive(Device<? extends Bound> dev, String name) throws KernelException {
        if (!described(dev, name)) {
            dev.err("error -ENODEV: failed to get regulator " + name);
            throw new KernelException(Errno.ENODEV, "no supply " + name + " for " + dev.name());
        }
        return create(dev, name, false);
    }

    private static boolean described(Device<? extends Bound> dev, String name) {
        dev.checkProof("regulator_get " + name);
        return dev.node() instanceof PlatformDev p && p.firmwareNode().supplies().contains(name);
    }

    private static Regulator create(Device<? extends Bound> dev, String name, boolean dummy) {
        Scope scope = new Scope(dev.kernel().oopses(), "regulator " + name + " of " + dev.node());
        Regulator r = new Regulator(ClkCore.of(dev.kernel()), dev.name() + "/" + name, name, dummy, scope);
        Devres.add(dev, "regulator_put " + name, r::release);
        return r;
    }

    /// The supply name.
    public String name() {
        return name;
    }

    /// Whether this is the dummy regulator.
    public boolean isDummy() {
        return dummy;
    }

    /// `regulator_enable`.
    public synchronized void enable() {
        scope.check("regulator_enable " + name);
        enabled++;
        if (!dummy) {
            core.enableSupply(key);
        }
    }

    /// `regulator_disable`; unbalanced is an oops.
    public synchronized void disable() {
        scope.check("regulator_disable " + name);
        if (enabled == 0) {
            core.disableSupply(key + " (handle never enabled)"); // counts the oops and throws
        }
        enabled--;
        if (!dummy) {
            core.disableSupply(key);
        }
    }

    /// `regulator_is_enabled` for this consumer.
    public synchronized boolean isEnabled() {
        return enabled > 0;
    }

    private synchronized void release() {
        while (enabled > 0) {
            enabled--;
            if (!dummy) {
                core.disableSupply(key);
            }
        }
        scope.end();
    }

    @Override
    public String toString() {
        return "regulator " + key + (dummy ? " (dummy)" : "");
    }
}
