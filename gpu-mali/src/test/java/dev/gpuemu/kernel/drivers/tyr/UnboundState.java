package dev.gpuemu.kernel.drivers.tyr;

import dev.gpuemu.board.Machine;
import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.driver.BusDevice;
import dev.gpuemu.kernel.drm.DrmCore;
import dev.gpuemu.kernel.drm.gem.GemTotals;

/// The cheap counters a rebind fuzz target compares after every input, with the device unbound:
/// anything a probe or an unbind failed to give back shows up here (as `gpuemu inject`'s leak
/// snapshot), and so does an oops or an exception on the clock thread.
///
/// @param pagesInUse    system-memory pages in use
/// @param gemObjects    GEM objects alive on every DRM device of the kernel, released ones included
/// @param gemPages      GEM pages resident, likewise
/// @param drmDevices    DRM devices allocated and not released
/// @param devres        devres entries on the device (0 while unbound)
/// @param oopses        kernel oopses so far
/// @param clockFailures exceptions that escaped device events so far
record UnboundState(int pagesInUse, long gemObjects, long gemPages, long drmDevices, int devres, long oopses,
                    int clockFailures) {

    /// The counters now, `dev` being the device under test.
    static UnboundState take(Machine machine, BusDevice dev) {
        Kernel k = machine.kernel();
        GemTotals gem = GemTotals.of(k);
        return new UnboundState(k.hw().memory().pagesInUse(), gem.objectsAlive(), gem.pagesResident(),
                DrmCore.of(k).liveDevices(), dev.devresCount(), k.oopses().count(), machine.clock().failures().size());
    }
}
