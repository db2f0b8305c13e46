package dev.gpuemu.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/// The planted bug proves the checker works: the driver that polls its bound-scoped resource
/// outside the RegistrationGuard is caught under injection (oops > 0, invariant 3, exit 1); its
/// twin that polls inside the guard passes the same run.
class PlantedBugTest {
    @Test
    void shouldCatchTheDriverThatTouchesItsResourceOutsideTheGuard() {
        InjectResult r = InjectRuns.run("vgem", PlantedDriver.BUGGY, 2, 20, 3, InjectMode.UNBIND);
        String s = InjectRuns.describe(r);
        assertTrue(r.oops() > 0, s);
        assertTrue(r.violations().stream().anyMatch(v -> v.invariant() == 3), s);
        assertEquals(1, r.exitCode(), s);
    }

    @Test
    void shouldPassTheSameRunWithTheGuardedDriver() {
        InjectResult r = InjectRuns.run("vgem", PlantedDriver.FIXED, 2, 20, 3, InjectMode.UNBIND);
        String s = InjectRuns.describe(r);
        assertEquals(0, r.oops(), s);
        assertEquals(0, r.violationCount(), s);
        assertTrue(r.enodevIoctls() > 0, s);
        assertEquals(0, r.exitCode(), s);
    }
}
