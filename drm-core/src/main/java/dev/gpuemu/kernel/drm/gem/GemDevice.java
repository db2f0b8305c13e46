package dev.gpuemu.kernel.drm.gem;

import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.KernelOops;
import dev.gpuemu.kernel.Oopses;
import dev.gpuemu.kernel.log.KernelLog;
import dev.gpuemu.kernel.vfs.FileMapping;
import dev.gpuemu.machine.mem.SystemMemory;
import dev.gpuemu.machine.pages.PageEngine;
import dev.gpuemu.machine.pages.PageOps;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/// The GEM state of one DRM device: the page pool shmem objects allocate from, the fake-offset
/// space ([VmaOffsetManager]), the device's anon-inode [FileMapping] that every DRM file of the
/// device shares (unplug calls `zapAll()` on it; a purge zaps one object's range), the
/// `object_name_lock` that orders first/last handle transitions, and counters for reports.
///
/// ## Invariants
/// `objectsAlive()` counts objects constructed and not yet freed; `bytesAllocated()` is the sum
/// of their sizes; `pagesResident()` counts pool pages currently held by shmem objects.
///
/// ## Thread safety
/// Thread-safe. Counters are atomics, read without ordering guarantees against each other.
///
/// ## Lifecycle
/// Created with the DRM device, lives as long as the device (which outlives unbind while any
/// object is alive). Nothing here is torn down at unplug.
public final class GemDevice {
    private final String name;
    private final SystemMemory memory;
    private final PageOps pageOps;
    private final KernelLog log;
    private final Oopses oopses;
    private final VmaOffsetManager offsets = new VmaOffsetManager();
    private final FileMapping mapping;
    private final ReentrantLock objectNameLock = new dev.gpuemu.kernel.sync.Mutex(); // short sections: spins before parking
    private final LongAdder objectsAlive = new LongAdder();
    private final LongAdder objectsCreated = new LongAdder();
    private final LongAdder bytesAllocated = new LongAdder();
    private final LongAdder pagesResident = new LongAdder();
    private final AtomicLong warnings = new AtomicLong();
    private final GemTotals totals;

    /// @param name   device name for logs and page-owner strings (e.g. `panthor`)
    /// @param memory the page pool shmem objects allocate from
    /// @param log    where WARNs go
    /// @param oopses where kernel bugs (use after free, unbalanced puts) are recorded
    public GemDevice(String name, SystemMemory memory, KernelLog log, Oopses oopses) {
        this(name, memory, log, oopses, new GemTotals());
    }

    private GemDevice(String name, SystemMemory memory, KernelLog log, Oopses oopses, GemTotals totals) {
        this.totals = totals;
        this.name = Objects.requireNonNull(name, "name");
        this.memory = Objects.requireNonNull(memory, "memory");
        this.log = Objects.requireNonNull(log, "log");
        this.oopses = Objects.requireNonNull(oopses, "oopses");
        this.pageOps = PageEngine.vector();
        this.mapping = new FileMapping("anon_inode:drm(" + name + ")");
    }

    /// A new GEM state for a device on `kernel`'s machine: RAM, log and oopses from the kernel;
    /// its counters also add to the kernel's [GemTotals]. (Each call makes a new one: to count
    /// every device of a kernel, read [GemTotals#of].)
    public static GemDevice of(Kernel kernel, String name) {
        return new GemDevice(name, kernel.hw().memory(), kernel.log(), kernel.oopses(), GemTotals.of(kernel));
    }

    public String name() {
        return name;
    }

    /// The page pool.
    public SystemMemory memory() {
        return memory;
    }

    /// The page engine used to clear new pages.
    public PageOps pageOps() {
        return pageOps;
    }

    public KernelLog log() {
        return log;
    }

    public Oopses oopses() {
        return oopses;
    }

    /// The fake-offset space of this device.
    public VmaOffsetManager offsets() {
        return offsets;
    }

    /// The anon inode's mapping shared by every DRM file of the device.
    public FileMapping mapping() {
        return mapping;
    }

    /// `dev->object_name_lock`: serialises handle-count transitions (and, later, flink names).
    ReentrantLock objectNameLock() {
        return objectNameLock;
    }

    /// `drm_WARN`: logs and counts; execution continues.
    void warn(String message) {
        warnings.incrementAndGet();
        log.warn(name + ": WARNING: " + message);
    }

    /// Records a kernel bug and returns the exception to throw.
    KernelOops bug(String message) {
        return oopses.bug(name + ": " + message);
    }

    void objectCreated(long size) {
        objectsCreated.increment();
        objectsAlive.increment();
        bytesAllocated.add(size);
        totals.objects(1);
    }

    void objectFreed(long size) {
        objectsAlive.decrement();
        bytesAllocated.add(-size);
        totals.objects(-1);
    }

    void pagesAcquired(long pages) {
        pagesResident.add(pages);
        totals.pages(pages);
    }

    void pagesReleased(long pages) {
        pagesResident.add(-pages);
        totals.pages(-pages);
    }

    /// Objects constructed and not yet freed.
    public long objectsAlive() {
        return objectsAlive.sum();
    }

    /// Objects ever constructed.
    public long objectsCreated() {
        return objectsCreated.sum();
    }

    /// Sum of the sizes of live objects, in bytes.
    public long bytesAllocated() {
        return bytesAllocated.sum();
    }

    /// Pool pages held by shmem objects of this device.
    public long pagesResident() {
        return pagesResident.sum();
    }

    /// WARNs logged by GEM code of this device (leaked pins or vmaps at free, bad purges).
    public long warnings() {
        return warnings.get();
    }

    /// A snapshot of the counters for reports.
    public GemStats stats() {
        return new GemStats(objectsAlive(), objectsCreated(), bytesAllocated(), pagesResident(), warnings());
    }

    @Override
    public String toString() {
        return "gem " + name + " " + stats();
    }
}
