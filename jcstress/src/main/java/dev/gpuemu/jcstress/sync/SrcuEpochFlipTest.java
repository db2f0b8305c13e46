package dev.gpuemu.jcstress.sync;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gpuemu.kernel.sync.Srcu;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/// No reader is lost across the epoch flip, on the real [Srcu] with one long-lived domain shared
/// by every test state (as `drm_unplug_srcu` is shared by every DRM device):
///
/// ```
/// reader: srcu_read_lock; r1 = x; r2 = y; srcu_read_unlock
/// writer: synchronize_srcu; y = 1; synchronize_srcu; x = 1
/// ```
///
/// The writer's first grace period flips the epoch while the reader may be entering: the reader
/// can load the epoch before that flip and increment its counter after that grace period's scan,
/// so it sits on the index that becomes the *previous* one for the second grace period (point 5
/// of Srcu's correctness argument: the second call's first `wait(!cur)` must cover it). Other
/// states' writers flip the shared epoch at any time too, so readers enter on both indexes.
///
/// Claim: a reader entering concurrently with a flip is either waited for by the following grace
/// period or sees the writer's update: `r1 == 1, r2 == 0` (saw the store after the second grace
/// period but not the one before it) is forbidden.
@JCStressTest
@Description("SRCU: no reader is lost across the epoch flip (shared domain, two grace periods)")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "section before the writer's stores")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "section overlaps the second grace period; sees y")
@Outcome(id = "1, 1", expect = ACCEPTABLE_INTERESTING, desc = "section after the second grace period")
@Outcome(id = "1, 0", expect = FORBIDDEN, desc = "a reader on the flipped-away index was not waited for")
@State
public class SrcuEpochFlipTest {
    private static final Srcu SHARED = new Srcu("jcstress-shared");

    private int x;
    private int y;

    @Actor
    public void reader(final II_Result r) {
        final int idx = SHARED.readLock();
        r.r1 = x;
        r.r2 = y;
        SHARED.readUnlock(idx);
    }

    @Actor
    public void writer() {
        SHARED.synchronize();
        y = 1;
        SHARED.synchronize();
        x = 1;
    }
}
