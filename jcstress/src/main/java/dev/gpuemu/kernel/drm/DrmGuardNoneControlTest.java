package dev.gpuemu.kernel.drm;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gpuemu.jcstress.drm.DrmRig;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/// Negative control of [DrmDevEnterUnplugTest]: the same actors on a kernel configured with
/// [GuardStrategy#NONE], where unplug does not wait for entered sections (unsafe by design, for
/// measuring what the guard costs). Here an entered section *can* see the freed registration
/// data, and this test shows that the litmus observes it (`2, 0` / `3, 0`, marked interesting,
/// not forbidden): the forbidden outcomes of [DrmDevEnterUnplugTest] are reachable when the
/// grace period is missing, so that test can fail.
///
/// Claim kept even without a guard: once unplug returned, `drm_dev_enter` fails (`r2 == 1`
/// forbidden), because `unplugged` is a volatile store read inside enter.
@JCStressTest
@Description("Control: with guard strategy NONE an entered section can see freed registration data")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "enter refused: unplugged first (ENODEV)")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "entered with live data")
@Outcome(id = "[23], 0", expect = ACCEPTABLE_INTERESTING, desc = "NONE: entered section saw freed data (the bug SRCU prevents)")
@Outcome(id = "., 1", expect = FORBIDDEN, desc = "drm_dev_enter succeeded after unplug returned")
@State
public class DrmGuardNoneControlTest {
    private final DrmRig rig = DrmRig.unguarded();
    private final DrmDeviceState<Object, DrmRig.Data, Object> state =
            new DrmDeviceState<>(DrmCore.of(rig.kernel()), DrmRig.DRIVER, new Object(), rig.parent().node());

    public DrmGuardNoneControlTest() {
        state.regData = new DrmRig.Data();
        state.parentBound = rig.parent();
        state.registered = true;
    }

    @Actor
    public void reader(final II_Result r) {
        final RegistrationGuard<Object, DrmRig.Data> g = state.enter();
        if (g == null) {
            r.r1 = 0;
            return;
        }
        try (g) {
            final DrmRig.Data d = g.registrationData();
            r.r1 = d == null ? 3 : d.magic == DrmRig.Data.LIVE ? 1 : 2;
        }
    }

    @Actor
    public void unplugger(final II_Result r) {
        state.unplug();
        final RegistrationGuard<Object, DrmRig.Data> g = state.enter();
        r.r2 = g != null ? 1 : 0;
        if (g != null) {
            g.close();
        }
    }
}
