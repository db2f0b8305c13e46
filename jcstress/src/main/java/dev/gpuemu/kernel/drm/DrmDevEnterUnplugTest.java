package dev.gpuemu.kernel.drm;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gpuemu.jcstress.drm.DrmRig;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/// `drm_dev_enter` against `drm_dev_unplug` on the real device state ([DrmDeviceState#enter],
/// which `IoctlDevice.registrationGuard()` and every guarded ioctl call, and
/// [DrmDeviceState#unplug], which `Registration.close()` calls), with the kernel's default guard
/// strategy (SRCU on the kernel's shared `drm_unplug_srcu`).
///
/// Each state is a device whose registration data is set as `drm_dev_register` sets it, but
/// without its `/dev/dri` node: jcstress also builds states it never runs (to size its strides),
/// and a registered node per such state would exhaust the 64 minors. Unplug handles a device
/// without minors (it removes none).
///
/// - reader: `drm_dev_enter`; inside, read the registration data; `drm_dev_exit`.
/// - unplugger: unplug (set `unplugged`, synchronize, clear and free the registration data, which
///   poisons it, see [DrmRig.Data#close]); then `drm_dev_enter` once more.
///
/// Claims: an entered section never observes unplugged-and-freed data (`r1` 2 = poisoned and
/// 3 = already cleared are forbidden); after unplug returned, `drm_dev_enter` fails (`r2 == 1` is
/// forbidden).
///
/// `r1`: 0 = enter refused (ENODEV), 1 = entered and read live data, 2 = entered and read freed
/// data, 3 = entered and found no data. `r2`: 1 if enter succeeded after unplug returned.
@JCStressTest
@Description("drm_dev_enter vs unplug: an entered section never sees freed registration data")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "enter refused: unplugged first (ENODEV)")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "entered with live data; unplug waited for the section")
@Outcome(id = "[23], .", expect = FORBIDDEN, desc = "an entered section saw freed or cleared data")
@Outcome(id = "., 1", expect = FORBIDDEN, desc = "drm_dev_enter succeeded after unplug returned")
@State
public class DrmDevEnterUnplugTest {
    private final DrmRig rig = DrmRig.get();
    private final DrmDeviceState<Object, DrmRig.Data, Object> state =
            new DrmDeviceState<>(DrmCore.of(rig.kernel()), DrmRig.DRIVER, new Object(), rig.parent().node());

    public DrmDevEnterUnplugTest() {
        // drm_dev_register's first two steps (the node registration is left out, see above).
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
