package dev.gpuemu.kernel.drivers.nova.drm;

import dev.gpuemu.kernel.drivers.nova.core.NovaAuxData;
import dev.gpuemu.kernel.drm.RegistrationData;
import dev.gpuemu.machine.time.SimClock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/// nova-drm's registration data: the parent's [NovaAuxData] borrowed for the binding (reachable
/// only inside a registration guard, i.e. as the `data` argument of an ioctl handler), and every
/// bound-scoped object the files made (channels, VMs, VRAM objects), so unbind can stop them.
///
/// [#close] runs once after unplug (no ioctl runs any more): channels first (nova-core completes
/// their pending jobs with `ECANCELED`, so every fence is signalled with an error, in bounded
/// simulated time), then VMs (mappings dropped, page tables freed), then VRAM objects (CPU
/// mappings zapped, VRAM returned). nova-core is still bound meanwhile: its auxiliary child is
/// always unbound before its own data drops. Files closed later find their objects released.
///
/// ## Thread safety
/// Thread-safe (concurrent sets; each object serialises its own release).
///
/// ## Lifecycle
/// created at probe → [#stop] in the unbind callback (wakes waiters) → closed once after unplug.
public final class NovaRegistration implements RegistrationData {
    private final NovaAuxData aux;
    private final SimClock clock;
    private final Set<NovaUserChannel> channels = ConcurrentHashMap.newKeySet();
    private final Set<NovaUserVm> vms = ConcurrentHashMap.newKeySet();
    private final Set<NovaVramBo> vram = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    private boolean closed;

    NovaRegistration(NovaAuxData aux, SimClock clock) {
        this.aux = aux;
        this.clock = clock;
    }

    /// The parent's resources; valid inside a registration guard.
    public NovaAuxData aux() {
        return aux;
    }

    SimClock clock() {
        return clock;
    }

    /// True from the unbind callback on: submits waiting on in-fences give up (`ENODEV`).
    boolean isStopping() {
        return stopping;
    }

    void stop() {
        stopping = true;
        clock.kick();
    }

    void track(NovaUserChannel c) {
        channels.add(c);
    }

    void track(NovaUserVm v) {
        vms.add(v);
    }

    void track(NovaVramBo b) {
        vram.add(b);
    }

    void forget(Object o) {
        switch (o) {
            case NovaUserChannel c -> channels.remove(c);
            case NovaUserVm v -> vms.remove(v);
            case NovaVramBo b -> vram.remove(b);
            default -> throw new IllegalArgumentException(String.valueOf(o));
        }
    }

    /// The live channels (a snapshot).
    List<NovaUserChannel> channels() {
        return List.copyOf(channels);
    }

    /// Live objects, for tests and reports: channels, VMs, VRAM objects.
    public List<Integer> liveCounts() {
        return List.of(channels.size(), vms.size(), vram.size());
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            throw new IllegalStateException("nova registration data already closed");
        }
        closed = true;
        stopping = true;
        for (NovaUserChannel c : List.copyOf(channels)) {
            c.release();
        }
        for (NovaUserVm v : List.copyOf(vms)) {
            v.release();
        }
        for (NovaVramBo b : List.copyOf(vram)) {
            b.revoke();
        }
        channels.clear();
        vms.clear();
        vram.clear();
    }
}
