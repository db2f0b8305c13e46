package dev.gpuemu.inject;

import dev.gpuemu.kernel.drm.LeakCounters;

/// What a bound device holds while no file is open (invariant 6 compares the state after the run,
/// all load files closed and the device bound again, with the state before the load started):
/// the kernel's [LeakCounters] with the target's binding as the device.
///
/// @param c the counters
record LeakSnapshot(LeakCounters c) {

    static LeakSnapshot take(Target t) {
        return new LeakSnapshot(LeakCounters.of(t.kernel, t.node().orElse(null)));
    }

    /// Records a violation of 6 for everything `after` holds more than this; returns the total.
    long compare(LeakSnapshot after, Checker checker) {
        long total = 0;
        total += leak(checker, "GEM object(s)", c.gemObjects(), after.c.gemObjects());
        total += leak(checker, "GEM page(s)", c.gemPages(), after.c.gemPages());
        total += leak(checker, "pool page(s)", c.poolPages(), after.c.poolPages());
        total += leak(checker, "devres entr(ies)", c.devres(), after.c.devres());
        total += leak(checker, "DRM device(s)", c.drmDevices(), after.c.drmDevices());
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
