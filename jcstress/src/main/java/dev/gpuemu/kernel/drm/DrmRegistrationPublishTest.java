package dev.gpuemu.kernel.drm;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gpuemu.jcstress.drm.DrmRig;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.vfs.DevFs;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/// Registration data is published before the DRM node becomes visible, on the real
/// `drm_dev_register` ([DrmDeviceState#register]: `regData` volatile store, then the minor's
/// devfs node and its `visible` volatile store) and the real lookup (`/dev/dri` in [DevFs], a
/// concurrent map, then [Minor#isVisible], as `Minor.open` checks it).
///
/// This class sits in `dev.gpuemu.kernel.drm` (a split package, fine on the jar's class path)
/// because the device state is package-private; allocating it directly keeps the registration
/// data's construction inside the publisher actor, so nothing but the code under test publishes
/// it. The unplug and the creator's reference drop run in the arbiter, after both actors: the
/// minor numbers are freed at the last reference (`drm_dev_release`), not at unplug.
///
/// - publisher: build the registration data (plain fields), `drm_dev_register`.
/// - finder: look the device's node up in `/dev/dri`; when it is there and visible, read the
///   device's registration data.
///
/// Claim: a thread that finds the node visible reads fully initialised registration data:
/// `r1` 2 (no data) and 3 (data not fully initialised) are forbidden.
///
/// `r1`: 0 = node not (yet) visible, 1 = visible with initialised data, 2 = visible without
/// data, 3 = visible with partially initialised data.
@JCStressTest
@Description("drm_dev_register: a finder that sees the node visible reads initialised registration data")
@Outcome(id = "0", expect = ACCEPTABLE, desc = "node not visible yet")
@Outcome(id = "1", expect = ACCEPTABLE, desc = "node visible, registration data initialised")
@Outcome(id = "2", expect = FORBIDDEN, desc = "node visible before its registration data was set")
@Outcome(id = "3", expect = FORBIDDEN, desc = "node visible with partially initialised registration data")
@State
public class DrmRegistrationPublishTest {
    private static final String DRI = "/dev/dri";

    private final DrmRig rig = DrmRig.get();
    private final DrmDeviceState<Object, DrmRig.Data, Object> state =
            new DrmDeviceState<>(DrmCore.of(rig.kernel()), DrmRig.DRIVER, new Object(), rig.parent().node());

    @Actor
    public void publisher() {
        final DrmRig.Data d = new DrmRig.Data();
        d.table = new long[] {1, 2, 3};
        try {
            state.register(d, rig.parent());
        } catch (final KernelException e) {
            throw new IllegalStateException("drm_dev_register failed", e);
        }
    }

    @Actor
    public void finder(final I_Result r) {
        final DevFs devfs = rig.kernel().devfs();
        for (final String path : devfs.list(DRI)) {
            if (devfs.lookup(path) instanceof Minor m && m.device() == state && m.isVisible()) {
                final DrmRig.Data d = state.regData;
                r.r1 = d == null ? 2 : d.magic == DrmRig.Data.LIVE && d.table != null && d.table[2] == 3 ? 1 : 3;
                return;
            }
        }
        r.r1 = 0;
    }

    @Arbiter
    public void unplug(final I_Result r) {
        state.unplug();
        state.put(); // the creator's reference: the release frees the minor for the next states
    }
}
