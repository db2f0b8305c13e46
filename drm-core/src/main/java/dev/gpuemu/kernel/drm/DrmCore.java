package dev.gpuemu.kernel.drm;

import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.BusDevice;
import dev.gpuemu.kernel.sync.Srcu;
import dev.gpuemu.kernel.uapi.Errno;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/// The DRM core of one kernel (`drm_drv.c` globals): the SRCU domain `drm_unplug_srcu` shared by
/// every DRM device, the minor tables, counters for reports, and the guard configuration: the
/// [GuardStrategy] behind `drm_dev_enter` sections (default [GuardStrategy#SRCU]) and whether
/// core ioctls run inside a guard too (default off, as in Linux).
///
/// ## Invariants
/// - A minor slot is non-null from `drm_minor_register` until `drm_minor_unregister`; an open
///   looks the slot up and fails with `ENODEV` when it is empty or its device is unplugged.
/// - The guard configuration is frozen by the first DRM device allocation (`drm_dev_alloc`, i.e.
///   before any device can register); every device copies it into final fields then, so one
///   core never mixes strategies.
///
/// ## Thread safety
/// Thread-safe. Minor table and configuration updates are serialised on this object; lookups
/// read a volatile slot.
///
/// ## Lifecycle
/// Created on first use per kernel; configurable until the first DRM device is allocated, then
/// the configuration is fixed for the kernel's life.
public final class DrmCore {
    /// Fault-injection point: registering the primary minor fails after the render minor became
    /// visible (the register-failure window of the 2026 `drm_dev_synchronize_unplug` fix).
    public static final String FAULT_PRIMARY_MINOR = "drm.register.primary_minor";

    private final Kernel kernel;
    private final Srcu srcu = new Srcu("drm_unplug_srcu");
    private final Minor[][] minors = new Minor[MinorType.values().length][MinorType.WINDOW];
    private final AtomicLong unplugs = new AtomicLong();
    private final AtomicLong enodevIoctls = new AtomicLong();
    private final AtomicLong liveDevices = new AtomicLong();
    /// [#setHandlerProbe]; null (the default) costs one volatile load per driver ioctl.
    private volatile HandlerProbe handlerProbe;
    // Guard configuration, guarded by `this`; frozen at the first device allocation.
    private GuardStrategy guardStrategy = GuardStrategy.SRCU;
    private boolean guardCoreIoctls;
    private boolean configFrozen;

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

    /// `drm_unplug_srcu` (the section domain of [GuardStrategy#SRCU]; unused by the others).
    public Srcu srcu() {
        return srcu;
    }

    // ---- guard configuration ----

    /// Selects how `drm_dev_enter` sections and the unplug wait are implemented for every DRM
    /// device of this kernel. [GuardStrategy#NONE] is unsafe (unplug does not wait for running
    /// handlers) and logs a warning; use it only to measure what the guard costs.
    ///
    /// @throws IllegalStateException once a DRM device of this kernel has been allocated
    public synchronized void setGuardStrategy(GuardStrategy strategy) {
        Objects.requireNonNull(strategy, "strategy");
        checkConfigurable("guard strategy", strategy);
        guardStrategy = strategy;
        if (strategy == GuardStrategy.NONE) {
            kernel.log().warn("[drm] guard strategy NONE: unplug will not wait for running ioctls"
                    + " (unsafe, for benchmarks only)");
        }
    }

    /// The guard strategy of this kernel's DRM devices.
    public synchronized GuardStrategy guardStrategy() {
        return guardStrategy;
    }

    /// Whether core ioctls (VERSION, GET_CAP, dumb buffers, GEM_CLOSE, ...) run inside a
    /// [RegistrationGuard] like driver ioctls. Off by default (Linux runs them unguarded, after
    /// the two `drm_dev_is_unplugged` point checks); on, they cost one more section and may be
    /// measured with and without it.
    ///
    /// @throws IllegalStateException once a DRM device of this kernel has been allocated
    public synchronized void setGuardCoreIoctls(boolean on) {
        checkConfigurable("guard-core-ioctls option", on);
        guardCoreIoctls = on;
    }

    /// Whether core ioctls run inside a guard.
    public synchronized boolean guardCoreIoctls() {
        return guardCoreIoctls;
    }

    /// `drm_dev_alloc`: fixes the configuration for good and returns the strategy; the caller
    /// reads [#guardCoreIoctls()] afterwards (it cannot change any more).
    synchronized GuardStrategy freezeGuardConfig() {
        configFrozen = true;
        return guardStrategy;
    }

    private void checkConfigurable(String what, Object value) {
        if (configFrozen) {
            throw new IllegalStateException("DRM " + what + " cannot change to " + value
                    + ": a DRM device was already allocated on this kernel (current: " + guardStrategy
                    + (guardCoreIoctls ? ", core ioctls guarded" : "") + ")");
        }
    }

    // ---- checker hooks (gpuemu inject) ----

    /// Told about every driver ioctl handler body (`gpuemu inject`'s invariant 2: no driver
    /// handler runs after unplug completed).
    ///
    /// ## Thread safety
    /// Called on the ioctl's thread, concurrently; must be thread-safe, cheap and must not throw.
    @FunctionalInterface
    public interface HandlerProbe {
        /// A driver handler of `driver` on the bus device `parent` is about to run (`entering`)
        /// or has just returned (`!entering`); `unplugCompleted` says whether that device's
        /// unplug had already finished waiting for its sections at that instant.
        void handler(String driver, String parent, String ioctl, boolean entering, boolean unplugCompleted);
    }

    /// Installs (or with null removes) the [HandlerProbe]. A test and tooling hook; the driver
    /// ioctl path reads it with one volatile load.
    public void setHandlerProbe(HandlerProbe probe) {
        handlerProbe = probe;
    }

    HandlerProbe handlerProbe() {
        return handlerProbe;
    }

    /// DRM devices allocated and not yet released (last `drm_dev_put`), for leak checks.
    public long liveDevices() {
        return liveDevices.get();
    }

    void countAlloc() {
        liveDevices.incrementAndGet();
    }

    void countRelease() {
        liveDevices.decrementAndGet();
    }

    /// The `/dev/dri` paths of the visible minors of the DRM devices whose parent is `parent` or a
    /// child of it (nova-drm sits on an auxiliary device under its PCI device), like
    /// `/sys/bus/BUS/devices/DEV/drm/`.
    public synchronized List<String> nodesOf(BusDevice parent) {
        List<String> out = new ArrayList<>();
        for (Minor[] table : minors) {
            for (Minor m : table) {
                if (m != null && m.isVisible() && descends(m.device().parent, parent)) {
                    out.add(m.path());
                }
            }
        }
        return out;
    }

    private static boolean descends(BusDevice d, BusDevice ancestor) {
        for (BusDevice x = d; x != null; x = x.parent().orElse(null)) {
            if (x == ancestor) {
                return true;
            }
        }
        return false;
    }

    // ---- counters ----

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
