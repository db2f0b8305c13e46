package dev.gpuemu.kernel.drm;

import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.Bound;
import dev.gpuemu.kernel.driver.BusDevice;
import dev.gpuemu.kernel.driver.Device;
import dev.gpuemu.kernel.drm.gem.GemDevice;
import dev.gpuemu.kernel.drm.gem.GemMmap;
import dev.gpuemu.kernel.sync.Srcu;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.vfs.FileMapping;
import dev.gpuemu.kernel.vfs.KFile;
import dev.gpuemu.kernel.vfs.Task;
import dev.gpuemu.kernel.vfs.Vma;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import dev.gpuemu.kernel.drm.gem.GemObject;
import dev.gpuemu.kernel.uapi.Fcntl;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/// `struct drm_device`: the state every context view of one DRM device shares.
///
/// ## Invariants
/// - `unplugged` goes false → true once and never back; after [#unplug] returned, no
///   [RegistrationGuard] of this device is open and none can be opened — except with
///   [GuardStrategy#NONE], where unplug does not wait and guards opened before it may still be
///   open (unsafe by design, benchmarks only).
/// - The guard strategy and the guard-core-ioctls option are fixed at allocation (final fields
///   copied from the [DrmCore]'s configuration, which is frozen then).
/// - `regData` is set before any minor becomes visible and cleared (then closed) only after the
///   unplug's grace period.
/// - The reference count starts at 1 (the creator's); each open file takes one; `release` runs
///   at the last put.
///
/// ## Thread safety
/// Thread-safe: `unplugged`, `registered`, `regData` and `parentBound` are volatile; lifecycle
/// transitions are serialised by their single-use owners ([UnregisteredDevice], [Registration]).
final class DrmDeviceState<D, R extends RegistrationData, F> {
    /// [#guardMode] values: one final int compared on the hot path (cheaper than an enum switch).
    private static final int GUARD_SRCU = 0;
    private static final int GUARD_RWLOCK = 1;
    private static final int GUARD_NONE = 2;

    final DrmCore core;
    final Kernel kernel;
    final DrmDriver<D, R, F> driver;
    final D data;
    final BusDevice parent;
    final FileMapping mapping;
    final GemDevice gem;
    private final InfoStrings infoStrings;
    final DrmDevice<D, R> normal;
    final IoctlDevice<D, R> ioctl;
    private final AtomicInteger refs = new AtomicInteger(1);
    private final AtomicReference<DrmFile<?>> master = new AtomicReference<>();
    private final Srcu srcu;
    /// The section implementation (a [GuardStrategy] as `GUARD_*`), fixed at allocation.
    private final int guardMode;
    /// [GuardStrategy#RWLOCK]: the per-device lock; null otherwise.
    private final ReentrantReadWriteLock rwlock;
    private final ReentrantReadWriteLock.ReadLock sectionLock;
    /// Whether core ioctls run inside a guard ([DrmCore#setGuardCoreIoctls]).
    final boolean guardCoreIoctls;
    /// Live dma-buf per exported object (`obj->dma_buf`).
    private final Map<GemObject, KFile> exports = new HashMap<>();

    volatile boolean unplugged;
    /// Set once unplug's wait for sections returned (for [DrmCore.HandlerProbe]).
    volatile boolean unplugCompleted;
    volatile boolean registered;
    volatile R regData;
    volatile Device<? extends Bound> parentBound;
    private Minor primary;
    private Minor render;

    DrmDeviceState(DrmCore core, DrmDriver<D, R, F> driver, D data, BusDevice parent) {
        this.core = core;
        this.kernel = core.kernel();
        this.driver = driver;
        this.data = data;
        this.parent = parent;
        this.srcu = core.srcu();
        GuardStrategy strategy = core.freezeGuardConfig();
        this.guardMode = switch (strategy) {
            case SRCU -> GUARD_SRCU;
            case RWLOCK -> GUARD_RWLOCK;
            case NONE -> GUARD_NONE;
        };
        this.rwlock = strategy == GuardStrategy.RWLOCK ? new ReentrantReadWriteLock() : null;
        this.sectionLock = rwlock != null ? rwlock.readLock() : null;
        this.guardCoreIoctls = core.guardCoreIoctls();
        this.gem = GemDevice.of(kernel, driver.info().name());
        this.mapping = gem.mapping();
        this.infoStrings = new InfoStrings(bytes(driver.info().name()), bytes(driver.info().date()),
                bytes(driver.info().desc()));
        this.normal = new DrmDevice<>(this);
        this.ioctl = new IoctlDevice<>(this);
        core.countAlloc();
    }

    /// The VERSION strings as bytes, built once so the ioctl allocates nothing.
    record InfoStrings(MemorySegment name, MemorySegment date, MemorySegment desc) {
    }

    private static MemorySegment bytes(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        MemorySegment m = Arena.ofAuto().allocate(Math.max(1, b.length)).asSlice(0, b.length);
        MemorySegment.copy(MemorySegment.ofArray(b), 0, m, 0, b.length);
        return m;
    }

    InfoStrings infoStrings() {
        return infoStrings;
    }

    String describe() {
        return driver.info().name() + " on " + parent.name() + (unplugged ? " (unplugged)" : registered ? "" : " (unregistered)");
    }

    Minor primaryMinor() {
        return primary;
    }

    Minor renderMinor() {
        return render;
    }

    // ---- references (drm_dev_get / drm_dev_put) ----

    void get() {
        int r;
        do {
            r = refs.get();
            if (r <= 0) {
                throw kernel.oopses().bug("drm_dev_get on released device " + describe());
            }
        } while (!refs.compareAndSet(r, r + 1));
    }

    void put() {
        int r = refs.decrementAndGet();
        if (r == 0) {
            core.countRelease();
            freeMinors();
            driver.release(data);
            kernel.log().debug("[drm] released " + describe());
        } else if (r < 0) {
            throw kernel.oopses().bug("drm_dev_put underflow on " + describe());
        }
    }

    int refCount() {
        return refs.get();
    }

    // ---- sections (drm_dev_enter / drm_dev_exit) ----

    /// The strategy this device was allocated with.
    GuardStrategy guardStrategy() {
        return switch (guardMode) {
            case GUARD_SRCU -> GuardStrategy.SRCU;
            case GUARD_RWLOCK -> GuardStrategy.RWLOCK;
            default -> GuardStrategy.NONE;
        };
    }

    /// `drm_dev_enter`: an open guard, or null when unplugged (no section is left open then).
    RegistrationGuard<D, R> enter() {
        return enter(DrmThread.current());
    }

    /// [#enter()] with the caller's [DrmThread] (saves a thread-local lookup on the ioctl path).
    RegistrationGuard<D, R> enter(DrmThread t) {
        RegistrationGuard<D, R> g = t.push(); // first: a nesting overflow throws before any section opens
        int idx = sectionLock(t);
        // ORDERING: the section is open before `unplugged` is read; unplug stores it before its
        // wait (SRCU grace period / write lock), so either we see true here or unplug waits for
        // this section. NONE: a plain volatile load; unplug does not wait.
        if (unplugged) {
            sectionUnlock(t, idx);
            t.unpush();
            return null;
        }
        g.open(this, idx);
        return g;
    }

    /// `drm_dev_exit` of a section opened by [#enter] on thread `t` with index `idx`.
    void exit(DrmThread t, int idx) {
        sectionUnlock(t, idx);
    }

    /// `drm_dev_is_unplugged`: a point check. Linux enters and leaves a section around the load;
    /// nothing is protected once it returns, so the answer is just the flag's value at some
    /// instant, and one acquire load gives exactly that, under every strategy.
    boolean isUnplugged() {
        // ORDERING: volatile (acquire) load; pairs with unplug's volatile store. A reader that
        // sees false may still race with unplug, as in Linux: that is why handlers that touch
        // the binding run inside a section (enter), not after a point check.
        return unplugged;
    }

    /// Opens a read section of this device's strategy on thread `t`; returns the SRCU index
    /// (0 otherwise).
    private int sectionLock(DrmThread t) {
        int m = guardMode;
        if (m == GUARD_SRCU) {
            return t.reader(srcu).lock();
        }
        if (m == GUARD_RWLOCK) {
            sectionLock.lock(); // ORDERING: lock acquire; pairs with unplug's write lock
        }
        return 0;
    }

    private void sectionUnlock(DrmThread t, int idx) {
        int m = guardMode;
        if (m == GUARD_SRCU) {
            t.reader(srcu).unlock(idx);
        } else if (m == GUARD_RWLOCK) {
            sectionLock.unlock(); // ORDERING: lock release
        }
    }

    /// Whether the current thread holds a section that unplug's wait would wait for.
    private boolean inSection() {
        return switch (guardMode) {
            case GUARD_SRCU -> srcu.inReadSection();
            case GUARD_RWLOCK -> rwlock.getReadHoldCount() > 0;
            default -> false; // NONE: unplug does not wait, so it cannot deadlock
        };
    }

    // ---- registration (drm_dev_register / drm_dev_unplug) ----

    /// `drm_dev_register`: publishes the registration data, then the minors (render first, then
    /// primary). A failure after a minor became visible takes the `drm_dev_synchronize_unplug`
    /// path: unplugged, wait for every section opened in the window, then tear down.
    void register(R data, Device<? extends Bound> parentView) throws KernelException {
        regData = data;
        parentBound = parentView;
        try {
            if (DriverFeatures.has(driver.features(), DriverFeatures.DRIVER_RENDER)) {
                render = core.allocMinor(MinorType.RENDER, this);
                render.register();
            }
            primary = core.allocMinor(MinorType.PRIMARY, this);
            if (kernel.faults().shouldFail(DrmCore.FAULT_PRIMARY_MINOR)) {
                throw new KernelException(Errno.ENOMEM, "injected failure registering " + primary.path());
            }
            primary.register();
        } catch (KernelException e) {
            // err_minors: no section may still see the device as plugged while minors go away.
            synchronizeUnplug();
            removeMinors();
            regData = null;
            parentBound = null;
            kernel.log().err("[drm] *ERROR* registering " + driver.info().name() + " for " + parent.name()
                    + " failed: " + e.getMessage() + " (" + e.errno().negative() + ")");
            throw e;
        }
        registered = true;
        DriverInfo i = driver.info();
        kernel.log().info("[drm] Initialized " + i.name() + " " + i.major() + "." + i.minor() + "." + i.patchlevel()
                + " for " + parent.name() + " on minor " + primary.index());
    }

    /// `drm_dev_unplug`, then the registration data is freed.
    void unplug() {
        if (inSection()) {
            // The wait would wait for this very thread forever.
            throw kernel.oopses().bug("drm_dev_unplug of " + describe() + " from inside a drm_dev_enter section");
        }
        synchronizeUnplug();
        registered = false;
        removeMinors();
        mapping.zapAll();
        R d = regData;
        regData = null;
        parentBound = null;
        core.countUnplug();
        kernel.log().info("[drm] unplugged " + driver.info().name() + " for " + parent.name());
        if (d != null) {
            d.close();
        }
    }

    /// Steps 1 and 2 of unplug: set `unplugged`, then wait for every section that may have seen
    /// it false (not at all with [GuardStrategy#NONE]).
    private void synchronizeUnplug() {
        // ORDERING: volatile store first; the wait below then publishes it to every later section.
        unplugged = true;
        switch (guardMode) {
            case GUARD_SRCU -> srcu.synchronize();
            case GUARD_RWLOCK -> {
                // ORDERING: the write lock is granted only when no read lock is held; a section
                // that locks after our unlock happens-after the store above and sees `unplugged`.
                rwlock.writeLock().lock();
                rwlock.writeLock().unlock();
            }
            default -> {
                // NONE: no wait. Handlers already running keep going while the registration data
                // is freed; that is the unsafety this strategy measures.
            }
        }
        unplugCompleted = true;
    }

    /// `drm_minor_unregister` for both minors: the nodes disappear now. Their numbers stay
    /// reserved until the last reference drops ([#freeMinors]), as Linux frees a minor's id in
    /// the managed release of the device: a rebind while a file of the old device is still
    /// open gets the next free minor, never the old one.
    private void removeMinors() {
        for (Minor m : new Minor[] {render, primary}) {
            if (m != null && m.isVisible()) {
                m.unregister();
            }
        }
    }

    /// `drm_minor_alloc_release` at `drm_dev_release`: the minor numbers become free.
    private void freeMinors() {
        for (Minor m : new Minor[] {render, primary}) {
            if (m != null) {
                core.freeMinor(m);
            }
        }
    }

    // ---- files ----

    /// `drm_open` after the minor lookup: takes a device reference, fails with ENODEV once
    /// unplugged, creates the driver's per-file state and the open file.
    KFile open(Minor minor, Task task, int flags) throws KernelException {
        get();
        try {
            if (unplugged) {
                throw new KernelException(Errno.ENODEV, minor.path() + ": device unplugged");
            }
            F priv = driver.openFile(normal);
            DrmFile<F> file = new DrmFile<>(this, minor, priv, task.capable(Task.CAP_SYS_ADMIN), task.pid());
            if (minor.type() == MinorType.PRIMARY && master.compareAndSet(null, file)) {
                file.becomeMaster();
            }
            return new KFile(minor.path(), DrmFileOps.INSTANCE, file, flags, mapping);
        } catch (KernelException | RuntimeException e) {
            put();
            throw e;
        }
    }

    /// Whether `file` is the current master.
    boolean isMaster(DrmFile<?> file) {
        return master.get() == file;
    }

    /// `SET_MASTER`: only when there is no master; `DROP_MASTER`: only by the master.
    boolean setMaster(DrmFile<?> file) {
        return master.compareAndSet(null, file) || master.get() == file;
    }

    boolean dropMaster(DrmFile<?> file) {
        return master.compareAndSet(file, null);
    }

    /// The per-file teardown of `drm_file_free`: the driver's `postclose` (also after unplug).
    void releaseFile(DrmFile<F> file) {
        if (file.gem != null) {
            file.gem.release(); // drm_gem_release: every remaining handle
        }
        driver.postclose(normal, file.driverFile());
    }

    /// `drm_gem_mmap` after the unplug check.
    int mmap(DrmFile<?> file, Vma vma) {
        if (file.gem == null) {
            return Errno.ENODEV.negative();
        }
        return GemMmap.mmap(gem, file.gem, vma);
    }

    /// `drm_gem_prime_export` with the per-object dma-buf cache: the dma-buf file of `obj` with a
    /// new reference for the caller. The dma-buf holds the object and this device.
    ///
    /// As in Linux, the first export decides the dma-buf file's access mode (`O_RDWR` when the
    /// caller passed `DRM_RDWR`, else `O_RDONLY`, so a shared writable mmap gets `EACCES`); later
    /// exports of the same object hand out the same file, whatever their flags.
    KFile export(GemObject obj, boolean rdwr) {
        synchronized (exports) {
            KFile f = exports.get(obj);
            if (f != null && f.tryGet()) {
                return f;
            }
            obj.get();
            get();
            KFile[] self = new KFile[1];
            DmaBuf buf = new DmaBuf(obj, this, () -> {
                synchronized (exports) {
                    exports.remove(obj, self[0]);
                }
                put();
            });
            self[0] = new KFile("anon_inode:dmabuf", DmaBuf.FOPS, buf, rdwr ? Fcntl.O_RDWR : Fcntl.O_RDONLY, null);
            exports.put(obj, self[0]);
            return self[0];
        }
    }
}
