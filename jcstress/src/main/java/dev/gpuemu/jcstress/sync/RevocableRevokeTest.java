package dev.gpuemu.jcstress.sync;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gpuemu.kernel.sync.Revocable;
import dev.gpuemu.kernel.sync.Srcu;
import java.util.Optional;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/// `Revocable::revoke` against `try_access` on the real [Revocable], with one domain shared by
/// all states (as `DeviceResource`, the `Devres<T>` of the driver core, shares its kernel's
/// `rcu` domain; its devres release action is exactly `Revocable::revoke`).
///
/// - accessor: `tryAccess()`; with the guard, read the value's state; close the guard.
/// - revoker: `revoke()` (mark unavailable, synchronize, drop = poison the value); then
///   `tryAccess()` once more.
///
/// Claims: an access that got the guard never sees the revoked-and-dropped value (`r1 == 2` is
/// forbidden); after `revoke` returns, `tryAccess` fails (`r2 == 1` is forbidden).
///
/// `r1`: 0 = access refused, 1 = guard with the live value, 2 = guard with the dropped value.
/// `r2`: 1 if `tryAccess` succeeded after `revoke` returned.
@JCStressTest
@Description("Revocable: a guarded access never sees the dropped value; none succeeds after revoke")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "access refused: revoked first")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "access got the live value; revoke waited for it")
@Outcome(id = "2, .", expect = FORBIDDEN, desc = "a guarded access saw the dropped value")
@Outcome(id = "., 1", expect = FORBIDDEN, desc = "tryAccess succeeded after revoke returned")
@State
public class RevocableRevokeTest {
    private static final Srcu SHARED = new Srcu("jcstress-devres");

    /// The protected value; `close()` is the drop and poisons it. Plain field on purpose.
    static final class Value implements AutoCloseable {
        int state = 1;

        @Override
        public void close() {
            state = 2;
        }
    }

    private final Revocable<Value> revocable = new Revocable<>(SHARED, new Value());

    @Actor
    public void accessor(final II_Result r) {
        final Optional<Revocable.Guard<Value>> g = revocable.tryAccess();
        if (g.isEmpty()) {
            r.r1 = 0;
            return;
        }
        try (Revocable.Guard<Value> guard = g.get()) {
            r.r1 = guard.get().state;
        }
    }

    @Actor
    public void revoker(final II_Result r) {
        revocable.revoke();
        final Optional<Revocable.Guard<Value>> g = revocable.tryAccess();
        r.r2 = g.isPresent() ? 1 : 0;
        g.ifPresent(Revocable.Guard::close);
    }
}
