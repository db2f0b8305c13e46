package dev.gpuemu.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/// Short injection runs on nova (nova-core on PCI `0000:01:00.0`, nova-drm on its auxiliary
/// child): unbinds, PCI removes and failing nova-drm probes land with copy jobs in flight, VRAM
/// objects mapped and the sentinel mapped. Every invariant holds, with two load threads.
class InjectNovaTest {
    static final String GPU = "0000:01:00.0";

    private static void assertClean(InjectResult r, int cycles) {
        String s = InjectRuns.describe(r);
        assertEquals(0, r.violationCount(), s);
        assertEquals(cycles, r.cycles(), s);
        assertEquals(GPU, r.device(), s);
        assertTrue(r.handlerRuns() > 0, "nova-drm ioctls ran under the probe: " + s);
        assertTrue(r.okIoctls() > 0, s);
        assertEquals(0, r.oops(), s);
        assertEquals(0, r.leaks(), s);
        assertEquals(0, r.exitCode(), s);
    }

    @Test
    void shouldKeepEveryInvariantOverTwentyUnbindCyclesWithCopiesInFlight() {
        InjectResult r = InjectRuns.run("ga102-pc", null, 2, 20, 3, InjectMode.UNBIND);
        assertClean(r, 20);
        assertTrue(r.unplugs() >= 20, InjectRuns.describe(r));
        assertTrue(r.enodevIoctls() > 0, "some ioctls met the unplug: " + InjectRuns.describe(r));
    }

    @Test
    void shouldKeepEveryInvariantOverTwentyPciRemoveAndRescanCycles() {
        InjectResult r = InjectRuns.run("ga102-pc", GPU, 2, 20, 5, InjectMode.REMOVE);
        assertClean(r, 20);
        assertEquals(20L, r.cycleKinds().get("remove"), InjectRuns.describe(r));
    }

    @Test
    void shouldKeepEveryInvariantOverMixedCyclesIncludingFailedNovaDrmProbes() {
        InjectResult r = InjectRuns.run("ga102-pc", null, 2, 24, 11, InjectMode.MIXED);
        assertClean(r, 24);
        String s = InjectRuns.describe(r);
        assertTrue(r.cycleKinds().getOrDefault("probe-fail", 0L) > 0, s);
        assertTrue(r.cycleKinds().getOrDefault("remove", 0L) > 0, s);
    }

    @Test
    void shouldRecoverNovaDrmByBindingTheAuxiliaryChildAfterItsProbeFailed() {
        // nova-core binds while nova-drm's registration fails: the injector must see that as the
        // failure and bind the child (not the parent) to bring the render node back.
        InjectResult r = InjectRuns.run("ga102-pc", GPU, 1, 8, 9, InjectMode.PROBE_FAIL);
        assertClean(r, 8);
        assertEquals(8L, r.cycleKinds().get("probe-fail"), InjectRuns.describe(r));
    }

    @Test
    void shouldSelectTheGa102OnTheDualImageWithDevice() {
        InjectResult r = InjectRuns.run("dual", GPU, 2, 10, 13, InjectMode.MIXED);
        assertClean(r, 10);
        assertEquals("dual", r.image());
    }
}
