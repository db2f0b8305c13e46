package dev.gpuemu.inject;

import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.driver.BusDevice;
import dev.gpuemu.kernel.drm.DrmCore;
import dev.gpuemu.kernel.drm.gem.GemTotals;

/// What a bound device holds while no file is open (invariant 6 compares the state after the run,
/// all load files closed and the device bound again, with the state before the load started):
/// GEM objects and resident pages of every DRM device of the kernel (including released ones:
/// each rebind makes a new device, [GemTotals] outlives them), pool pages of the machine, devres
/// entries of the binding, and live DRM devices of the kernel.
///
/// @param gemObjects GEM objects alive
/// @param gemPages   GEM pages resident
/// @param poolPages  system-memory pages in use
/// @param devres     devres entries of the device's binding
/// @param drmDevices DRM devices allocated and not released
record LeakSnapshot(long gemObjects, long gemPages, long poolPages, long devres, long drmDevices) {

    static LeakSnapshot take(Target t) {
        Kernel k = t.kernel;
        GemTotals gem = GemTotals.of(k);
        return new LeakSnapshot(gem.objectsAlive(), gem.pagesResident(), k.hw().memory().pagesInUse(),
                t.node().map(BusDevice::devresCount).orElse(0), DrmCore.of(k).liveDevices());
    }

    /// Records a violation of 6 for everything `after` holds more than this; returns the total.
    long compare(LeakSnapshot after, Checker checker) {
        long total = 0;
        total += leak(checker, "GEM object(s)", gemObjects, after.gemObjects);
        total += leak(checker, "GEM page(s)", gemPages, after.gemPages);
        total += leak(checker, "pool page(s)", poolPages, after.poolPages);
        total += leak(checker, "devres entr(ies)", devres, after.devres);
        total += leak(checker, "DRM device(s)", drmDevices, after.drmDevices);
        return total;
    }

    private static long leak(Checker checker, String what, long before, long after) {
        if (after <= before) {
            return 0;
        }
        checker.violation(6, (after - before) + " " + what + " left after every file closed (" + before + " before the load, "
                + after + " after)");
        return after - before;
    }
}
