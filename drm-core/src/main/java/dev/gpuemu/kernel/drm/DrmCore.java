package dev.gpuemu.kernel.drm;

import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.sync.Srcu;
import dev.gpuemu.kernel.uapi.Errno;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/// The DRM core of one kernel (`drm_drv.c` globals): the SRCU domain `drm_unplug_srcu` shared by
/// every DRM device, the minor tables, and counters for reports.
///
/// ## Invariants
/// A minor slot is non-null from `drm_minor_register` until `drm_minor_unregister`; an open
/// looks the slot up and fails with `ENODEV` when it is empty or its device is unplugged.
///
/// ## Thread safety
/// Thread-safe. Minor table updates are serialised on this object; lookups read a volatile slot.
public final class DrmCore {
    /// Fault-injection point: registering the primary minor fails after the render minor became
    /// visible (the register-failure window of the 2026 `drm_dev_synchronize_unplug` fix).
    public static final String FAULT_PRIMARY_MINOR = "drm.register.primary_minor";

    private final Kernel kernel;
    private final Srcu srcu = new Srcu("drm_unplug_srcu");
    private final Minor[][] minors = new Minor[MinorType.values().length][MinorType.WINDOW];
    private final AtomicLong unplugs = new AtomicLong();
    private final AtomicLong enodevIoctls = new AtomicLong();

    private DrmCore(Kernel kernel) {
        this.kernel = kernel;
    }

    /// The DRM core of `kernel`.
    public static DrmCore of(Kernel kernel) {
        return kernel.subsystem(DrmCore.class, DrmCore::new);
    }

    public Kernel kernel() {
        return kernel;
    }

    /// `drm_unplug_srcu`.
    public Srcu srcu() {
        return srcu;
    }

    /// Completed unplugs since boot.
    public long unplugs() {
        return unplugs.get();
    }

    /// Ioctls answered `ENODEV` because their device was unplugged, since boot.
    public long enodevIoctls() {
        return enodevIoctls.get();
    }

    void countUnplug() {
        unplugs.incrementAndGet();
    }

    void countEnodev() {
        enodevIoctls.incrementAndGet();
    }

    /// Reserves the lowest free minor of `type` for `dev` (not yet visible); `ENOSPC` when the
    /// window is full.
    synchronized Minor allocMinor(MinorType type, DrmDeviceState<?, ?, ?> dev) throws KernelException {
        Minor[] table = minors[type.ordinal()];
        for (int i = 0; i < table.length; i++) {
            if (table[i] == null) {
                Minor m = new Minor(this, type, type.base() + i, dev);
                table[i] = m;
                return m;
            }
        }
        throw new KernelException(Errno.ENOSPC, "no free " + type + " minor");
    }

    /// Frees a minor's slot (after it was unregistered, or when registration failed).
    synchronized void freeMinor(Minor m) {
        Minor[] table = minors[m.type().ordinal()];
        int i = m.index() - m.type().base();
        if (table[i] == m) {
            table[i] = null;
        }
    }

    /// The `/dev/dri` paths of every visible minor, for listings.
    public synchronized List<String> nodes() {
        List<String> out = new ArrayList<>();
        for (Minor[] table : minors) {
            for (Minor m : table) {
                if (m != null && m.isVisible()) {
                    out.add(m.path());
                }
            }
        }
        return out;
    }
}
