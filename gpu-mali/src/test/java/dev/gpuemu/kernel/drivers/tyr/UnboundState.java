package dev.gpuemu.kernel.drivers.tyr;

import dev.gpuemu.board.Machine;
import dev.gpuemu.kernel.driver.BusDevice;
import dev.gpuemu.kernel.drm.LeakCounters;

/// The cheap counters a rebind fuzz target compares after every input, with the device unbound:
/// anything a probe or an unbind failed to give back shows up in the [LeakCounters], and an oops
/// or an exception on the clock thread in the other two.
///
/// @param leaks         pool pages, GEM objects and pages, DRM devices, the device's devres
/// @param oopses        kernel oopses so far
/// @param clockFailures exceptions that escaped device events so far
record UnboundState(LeakCounters leaks, long oopses, int clockFailures) {

    /// The counters now, `dev` being the device under test.
    static UnboundState take(Machine machine, BusDevice dev) {
        return new UnboundState(LeakCounters.of(machine.kernel(), dev), machine.kernel().oopses().count(),
                machine.clock().failures().size());
    }
}
