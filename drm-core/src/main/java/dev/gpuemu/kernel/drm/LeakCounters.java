package dev.gpuemu.kernel.drm;

import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.driver.BusDevice;
import dev.gpuemu.kernel.drm.gem.GemTotals;

/// What a bound DRM device's stack holds that an unbind, a failed probe or the last close must
/// give back: compare two readings taken in the same quiet state (no file open, the device in
/// the same bound/unbound state) and any growth is a leak. Used by `gpuemu inject`'s invariant 6
/// and by the firmware rebind fuzz targets.
///
/// @param poolPages  system-memory pages in use
/// @param gemObjects GEM objects alive on every DRM device of the kernel, released devices included
/// @param gemPages   GEM pages resident, likewise
/// @param drmDevices DRM devices allocated and not released
/// @param devres     devres entries on the device under test (0 without one)
///
/// ## Thread safety
/// Immutable; [#of] reads counters that are exact only while nothing runs on the device.
public record LeakCounters(long poolPages, long gemObjects, long gemPages, long drmDevices, int devres) {

    /// The counters of `kernel` now, `dev` (nullable) being the device under test.
    public static LeakCounters of(Kernel kernel, BusDevice dev) {
        GemTotals gem = GemTotals.of(kernel);
        return new LeakCounters(kernel.hw().memory().pagesInUse(), gem.objectsAlive(), gem.pagesResident(),
                DrmCore.of(kernel).liveDevices(), dev == null ? 0 : dev.devresCount());
    }
}
