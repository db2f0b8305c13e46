package dev.gpuemu.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/// Short injection runs on vgem (a faux device: unbind and probe-fail; no PCI remove).
class InjectVgemTest {
    @Test
    void shouldKeepEveryInvariantOverTwentyUnbindCyclesWithTwoThreads() {
        InjectResult r = InjectRuns.run("vgem", null, 2, 20, 7, InjectMode.UNBIND);
        String s = InjectRuns.describe(r);
        assertEquals(0, r.violationCount(), s);
        assertEquals(20, r.cycles(), s);
        assertTrue(r.unplugs() >= 20, s);
        assertTrue(r.okIoctls() > 0, s);
        assertTrue(r.enodevIoctls() > 0, "some ioctls met the unplug: " + s);
        assertEquals(0, r.oops(), s);
        assertEquals(0, r.leaks(), s);
        assertEquals(0, r.exitCode());
    }

    @Test
    void shouldKeepEveryInvariantOverMixedCyclesIncludingProbeFailures() {
        InjectResult r = InjectRuns.run("vgem", "vgem", 2, 20, 11, InjectMode.MIXED);
        String s = InjectRuns.describe(r);
        assertEquals(0, r.violationCount(), s);
        assertTrue(r.cycleKinds().getOrDefault("probe-fail", 0L) > 0, s);
    }
}
