package dev.gpuemu.kernel.clk;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.bus.platform.PlatformDev;
import dev.gpuemu.kernel.driver.Bound;
import dev.gpuemu.kernel.driver.Device;
import dev.gpuemu.kernel.driver.Devres;
import dev.gpuemu.kernel.driver.Scope;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.machine.FirmwareNode;
import java.util.Optional;

/// A consumer handle to one clock input of a device (`struct clk` from `devm_clk_get`).
///
/// The clock and its fixed rate come from the device's firmware node (`clocks` + `clock-names`).
/// An optional clock that the node does not list is the **null clock** (`devm_clk_get_optional`
/// returning NULL): every operation succeeds and does nothing, its rate is 0.
///
/// ## Invariants
/// This handle's own enables are balanced: [#disableUnprepare] without a matching
/// [#prepareEnable] is a kernel bug (oops), as Linux WARNs `already disabled`. The enable count
/// lives in [ClkCore], shared with other handles to the same input.
///
/// ## Thread safety
/// Thread-safe.
///
/// ## Lifecycle
/// got while bound → put by devres at unbind (`clk_put`); using it afterwards counts an oops and
/// throws. Devres does not disable the clock: the driver balances its enables (Tyr's driver data
/// drop disables its clocks, before devres runs).
public final class Clk {
    private final ClkCore core;
    private final String key;
    private final String name;
    private final long rateHz;
    private final Scope scope;
    private int enabled; // guarded by this

    private Clk(ClkCore core, String key, String name, long rateHz, Scope scope) {
        this.core = core;
        this.key = key;
        this.name = name;
        this.rateHz = rateHz;
        this.scope = scope;
    }

    /// `devm_clk_get(dev, name)`: `ENOENT` when the node has no clock called `name` (logged
    /// `error -ENOENT: failed to get clock NAME`, as `dev_err_probe` prints it).
    public static Clk get(Device<? extends Bound> dev, String name) throws KernelException {
        Optional<FirmwareNode.Clock> clock = lookup(dev, name);
        if (clock.isEmpty()) {
            dev.err("error -ENOENT: failed to get clock " + name);
            throw new KernelException(Errno.ENOENT, "no clock " + name + " for " + dev.name());
        }
        return create(dev, name, clock.get().rateHz());
    }

    /// `devm_clk_get_optional(dev, name)`: the clock, or the null clock when the node lists none
    /// by that name.
    public static Clk getOptional(Device<? extends Bound> dev, String name) throws KernelException {
        Optional<FirmwareNode.Clock> clock = lookup(dev, name);
        return create(dev, name, clock.map(FirmwareNode.Clock::rateHz).orElse(0L));
    }

    private static Optional<FirmwareNode.Clock> lookup(Device<? extends Bound> dev, String name) {
        dev.checkProof("clk_get " + name);
        if (!(dev.node() instanceof PlatformDev p)) {
            return Optional.empty();
        }
        return p.firmwareNode().clocks().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    private static Clk create(Device<? extends Bound> dev, String name, long rate) {
        Scope scope = new Scope(dev.kernel().oopses(), "clock " + name + " of " + dev.node());
        Clk clk = new Clk(ClkCore.of(dev.kernel()), dev.name() + "/" + name, name, rate, scope);
        Devres.add(dev, "clk_put " + name, scope::end);
        return clk;
    }

    /// The consumer name (`clock-names` entry).
    public String name() {
        return name;
    }

    /// Whether this is a real clock (false for the null clock of [#getOptional]).
    public boolean isPresent() {
        return rateHz != 0;
    }

    /// `clk_get_rate`: the fixed rate in Hz, 0 for the null clock.
    public long rate() {
        scope.check("clk_get_rate " + name);
        return rateHz;
    }

    /// `clk_prepare_enable`.
    public synchronized void prepareEnable() {
        scope.check("clk_prepare_enable " + name);
        if (!isPresent()) {
            return;
        }
        enabled++;
        core.enableClock(key);
    }

    /// `clk_disable_unprepare`; unbalanced is an oops.
    public synchronized void disableUnprepare() {
        scope.check("clk_disable_unprepare " + name);
        if (!isPresent()) {
            return;
        }
        if (enabled == 0) {
            core.disableClock(key + " (handle never enabled)"); // counts the oops and throws
        }
        enabled--;
        core.disableClock(key);
    }

    /// Whether this handle holds an enable.
    public synchronized boolean isEnabled() {
        return enabled > 0;
    }

    @Override
    public String toString() {
        return "clk " + key + (isPresent() ? " @ " + rateHz + " Hz" : " (null)");
    }
}
