package dev.gpuemu.kernel.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class RevocableTest {
    private final List<String> events = new CopyOnWriteArrayList<>();

    private final class Res implements AutoCloseable {
        @Override
        public void close() {
            events.add("dropped");
        }
    }

    @Test
    void shouldWaitForInFlightAccessorBeforeDroppingTheValue() throws Exception {
        Revocable<Res> r = new Revocable<>(new Srcu("test"), new Res());
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread reader = Thread.ofPlatform().start(() -> r.tryAccessWith(v -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            events.add("reader done");
            return v;
        }));
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        AtomicBoolean revoked = new AtomicBoolean();
        Thread revoker = Thread.ofPlatform().start(() -> revoked.set(r.revoke()));
        revoker.join(300);
        assertTrue(revoker.isAlive(), "revoke must wait while the accessor holds the value");
        assertTrue(events.isEmpty());
        assertFalse(r.isAvailable(), "no new accessor may start once revoke began");
        release.countDown();
        revoker.join(10_000);
        reader.join(10_000);
        assertTrue(revoked.get());
        assertEquals(List.of("reader done", "dropped"), events);
    }

    @Test
    void shouldDenyAccessAfterRevokeAndRevokeOnlyOnce() {
        Revocable<Res> r = new Revocable<>(new Srcu("test"), new Res());
        assertEquals("x", r.tryAccessWith(v -> "x").orElseThrow());
        assertTrue(r.revoke());
        assertFalse(r.revoke());
        assertTrue(r.tryAccessWith(v -> "x").isEmpty());
        assertTrue(r.tryAccess().isEmpty());
        assertEquals(List.of("dropped"), events);
    }

    @Test
    void shouldRejectSecondCloseOfAGuard() {
        Revocable<Res> r = new Revocable<>(new Srcu("test"), new Res());
        Revocable.Guard<Res> g = r.tryAccess().orElseThrow();
        g.close();
        assertThrows(IllegalStateException.class, g::close);
        assertThrows(IllegalStateException.class, g::get);
    }
}
