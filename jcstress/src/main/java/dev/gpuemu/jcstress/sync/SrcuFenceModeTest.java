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

/// [SrcuGracePeriodTest] on a `FENCE`-mode domain ([Srcu#withFences]): readers issue full fences
/// instead of relying on the writer's `membarrier(2)`, the portable fallback when the syscall is
/// unavailable. Same litmus, same claim: a reader that entered before `synchronize` began is
/// waited for, so `r1 == 1, r2 == 0` is forbidden.
@JCStressTest
@Description("SRCU (FENCE mode): synchronize waits for a reader that entered before it began")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "section entirely before the writer's stores")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "section overlaps the grace period; sees y")
@Outcome(id = "1, 1", expect = ACCEPTABLE_INTERESTING, desc = "section entirely after the grace period")
@Outcome(id = "1, 0", expect = FORBIDDEN, desc = "section spanned the grace period and was not waited for")
@State
public class SrcuFenceModeTest {
    private final Srcu srcu = Srcu.withFences("jcstress-fence");
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
