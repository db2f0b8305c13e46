package dev.gpuemu.kernel.drm.gem;

import dev.gpuemu.kernel.Kernel;
import java.util.concurrent.atomic.LongAdder;

/// Kernel-wide GEM counters: the sums over every [GemDevice] a kernel ever created, including
/// devices already released. A rebind makes a new DRM device with a new [GemDevice], so a leak
/// check that compares a device's counters before and after a run of unbinds would compare two
/// different devices; these totals outlive them (an object leaked by a released device stays
/// counted here).
///
/// ## Thread safety
/// Thread-safe ([LongAdder]s: many devices and files update them concurrently without sharing a
/// contended cache line). A read is a sum taken while updates may run: exact once quiescent.
///
/// ## Lifecycle
/// One per kernel ([#of]), created on first use, lives as long as the kernel.
public final class GemTotals {
    private final LongAdder objectsAlive = new LongAdder();
    private final LongAdder pagesResident = new LongAdder();

    /// Totals not tied to a kernel (for a [GemDevice] built directly, in tests).
    GemTotals() {
    }

    /// The kernel's totals.
    public static GemTotals of(Kernel kernel) {
        return kernel.subsystem(GemTotals.class, k -> new GemTotals());
    }

    void objects(long delta) {
        objectsAlive.add(delta);
    }

    void pages(long delta) {
        pagesResident.add(delta);
    }

    /// GEM objects constructed and not yet freed, on every device of the kernel.
    public long objectsAlive() {
        return objectsAlive.sum();
    }

    /// Pool pages held by shmem objects of every device of the kernel.
    public long pagesResident() {
        return pagesResident.sum();
    }
}
