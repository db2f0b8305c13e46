package dev.gpuemu.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/// Short injection runs on rk3588 (tyr, panthor uAPI): unbinds land with copy jobs in flight.
/// The lifetime invariants (2 no handler after unplug, 3 no oops, 4 no hang, 5 mmap data
/// intact, 6 no leak) and the job invariants (1, 7, 8) all hold.
class InjectRk3588Test {
    private static final Set<Integer> LIFETIME = Set.of(2, 3, 4, 5, 6);

    private static List<Violation> lifetime(InjectResult r) {
        return r.violations().stream().filter(v -> LIFETIME.contains(v.invariant())).toList();
    }

    @Test
    void shouldKeepTheLifetimeInvariantsWithJobsInFlightOverTwentyCycles() {
        InjectResult r = InjectRuns.run("rk3588", null, 2, 20, 5, InjectMode.UNBIND);
        String s = InjectRuns.describe(r);
        assertEquals(List.of(), lifetime(r), s);
        assertEquals(20, r.cycles(), s);
        assertTrue(r.handlerRuns() > 0, "driver ioctls ran under the probe: " + s);
        assertTrue(r.enodevIoctls() > 0, s);
        assertEquals(0, r.oops(), s);
        assertEquals(0, r.leaks(), s);
    }

    @Test
    void shouldKeepTheLifetimeInvariantsWhenProbesFailAfterTheRenderNodeAppeared() {
        InjectResult r = InjectRuns.run("rk3588", "fb000000.gpu", 2, 10, 9, InjectMode.PROBE_FAIL);
        String s = InjectRuns.describe(r);
        assertEquals(List.of(), lifetime(r), s);
        assertEquals(10L, r.cycleKinds().get("probe-fail"), s);
    }

    @Test
    void shouldKeepEveryInvariantWithJobsInFlight() {
        InjectResult r = InjectRuns.run("rk3588", null, 2, 20, 5, InjectMode.UNBIND);
        assertEquals(0, r.violationCount(), InjectRuns.describe(r));
    }
}
