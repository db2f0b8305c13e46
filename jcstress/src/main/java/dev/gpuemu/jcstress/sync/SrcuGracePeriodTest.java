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

/// The fundamental law of (S)RCU on the real [Srcu], in the kernel memory model's litmus form:
///
/// ```
/// reader: srcu_read_lock; r1 = x; r2 = y; srcu_read_unlock
/// writer: y = 1; synchronize_srcu; x = 1
/// ```
///
/// Claim: a reader that entered before `synchronize` began is waited for. If the reader sees
/// `x == 1` (stored after `synchronize` returned), the grace period ended before its section
/// did, so the section cannot have started before the grace period: it must see `y == 1`.
/// `r1 == 1, r2 == 0` would be a section that overlapped the whole grace period and was not
/// waited for. Fresh domain per state: every reader registers its slot in the same race (the
/// "slot registered between the writer's two snapshots" case of the correctness argument).
@JCStressTest
@Description("SRCU: synchronize waits for a reader that entered before it began (fresh domain)")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "section entirely before the writer's stores")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "section overlaps the grace period; sees y")
@Outcome(id = "1, 1", expect = ACCEPTABLE_INTERESTING, desc = "section entirely after the grace period")
@Outcome(id = "1, 0", expect = FORBIDDEN, desc = "section spanned the grace period and was not waited for")
@State
public class SrcuGracePeriodTest {
    private final Srcu srcu = new Srcu("jcstress");
    private int x;
    private int y;

    @Actor
    public void reader(final II_Result r) {
        final int idx = srcu.readLock();
        r.r1 = x;
        r.r2 = y;
        srcu.readUnlock(idx);
    }

    @Actor
    public void writer() {
        y = 1;
        srcu.synchronize();
        x = 1;
    }
}
