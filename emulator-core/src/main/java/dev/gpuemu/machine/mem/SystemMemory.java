package dev.gpuemu.machine.mem;

import dev.gpuemu.machine.GuestErrors;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/// The machine's RAM: `bytes` of off-heap memory at physical address `physBase`, managed as a pool
/// of 4 KiB pages for the kernel's page allocator.
///
/// - Allocation: [#allocContiguous(int, String)] (first fit) and [#allocPages(int, String)] (any
///   pages, adjacent ones coalesced into runs). Both are all-or-nothing. Every allocation carries
///   an owner string for leak reports. Page contents are not cleared on allocation or free (RAM is
///   zero at power-on only); callers that need zeroed pages clear them.
/// - Access: [#direct(long, long)] is the kernel's direct map; device models reach RAM only through
///   a [DmaPort].
/// - Pinning: pages are reference counted. An allocation holds one reference per page; a [Pin]
///   (for example DMA in flight, or a GEM object's pages pinned for a mapping) holds another. A
///   page returns to the pool when its last reference is dropped, so [#free] of a run that is
///   still pinned frees the pages only when the last pin closes.
///
/// ## Invariants
/// `0 <= pagesInUse() <= peakPagesInUse() <= totalPages()`; a page is in use exactly while its
/// reference count is positive; each live run was returned by an allocation method and not yet
/// freed; each live pin covers pages that were in use when it was taken.
///
/// ## Thread safety
/// Allocation, free and accounting are synchronised on this object. [#direct] views and DMA may be
/// used from any thread; ordering between CPU and device accesses is the users' business (the
/// MMIO doorbell / IRQ handshakes provide it).
///
/// ## Lifecycle
/// [#close()] exactly once, after every device and kernel user is gone; [#leaks()] is readable
/// before that. Views from [#direct] fail after close.
public final class SystemMemory implements AutoCloseable {
    /// Page size in bytes.
    public static final int PAGE_SIZE = 4096;
    private static final int PAGE_SHIFT = 12;

    private final long base;
    private final long size;
    private final int totalPages;
    private final GuestErrors errors;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment ram;
    private final AtomicBoolean closed = new AtomicBoolean();

    // Guarded by this.
    private final BitSet used;
    private final Map<Long, Allocation> live = new HashMap<>();
    private final int[] refs;
    private final java.util.Set<Pin> pins = new java.util.LinkedHashSet<>();
    private int inUse;
    private int peak;

    private record Allocation(PageRun run, String owner) {
    }

    /// @param physBase physical address of the first byte (page-aligned, non-negative)
    /// @param bytes size (a positive multiple of [#PAGE_SIZE], at most 2^31-1 pages)
    /// @param errors the machine's guest-error counter (DMA ports report to it)
    public SystemMemory(long physBase, long bytes, GuestErrors errors) {
        if (physBase < 0 || (physBase & (PAGE_SIZE - 1)) != 0) {
            throw new IllegalArgumentException("physBase must be page-aligned: 0x" + Long.toHexString(physBase));
        }
        if (bytes <= 0 || (bytes & (PAGE_SIZE - 1)) != 0 || (bytes >>> PAGE_SHIFT) > Integer.MAX_VALUE
                || physBase > Long.MAX_VALUE - bytes) {
            throw new IllegalArgumentException("bytes must be a positive multiple of the page size: " + bytes);
        }
        this.base = physBase;
        this.size = bytes;
        this.totalPages = (int) (bytes >>> PAGE_SHIFT);
        this.errors = Objects.requireNonNull(errors, "errors");
        this.ram = HostPages.allocateZeroed(arena, bytes, PAGE_SIZE); // zeroed, lazily by the host
        this.used = new BitSet(totalPages);
        this.refs = new int[totalPages];
    }

    /// Physical address of the first byte.
    public long base() {
        return base;
    }

    /// Size in bytes.
    public long size() {
        return size;
    }

    /// Number of pages.
    public int totalPages() {
        return totalPages;
    }

    GuestErrors errors() {
        return errors;
    }

    /// The whole of RAM; index 0 is `base()`. For [DmaPort] only.
    MemorySegment ram() {
        return ram;
    }

    /// First-fit allocation of `pages` contiguous pages.
    ///
    /// @return the run, or `null` when no free run is long enough (nothing is allocated then)
    public synchronized PageRun allocContiguous(int pages, String owner) {
        checkRequest(pages, owner);
        int from = 0;
        while (from < totalPages) {
            int start = used.nextClearBit(from);
            if (start >= totalPages) {
                break;
            }
            int end = used.nextSetBit(start);
            if (end < 0) {
                end = totalPages;
            }
            if (end - start >= pages) {
                return take(start, pages, owner);
            }
            from = end;
        }
        return null;
    }

    /// Allocates `pages` pages wherever they are free, lowest first; pages that are adjacent come
    /// back as one run.
    ///
    /// @return the runs in address order, or an empty list when fewer than `pages` pages are free
    ///         (nothing is allocated then)
    public synchronized List<PageRun> allocPages(int pages, String owner) {
        checkRequest(pages, owner);
        if (totalPages - inUse < pages) {
            return List.of();
        }
        List<PageRun> runs = new ArrayList<>();
        int remaining = pages;
        int from = 0;
        while (remaining > 0) {
            int start = used.nextClearBit(from);
            int end = used.nextSetBit(start);
            if (end < 0) {
                end = totalPages;
            }
            int n = Math.min(end - start, remaining);
            runs.add(take(start, n, owner));
            remaining -= n;
            from = start + n;
        }
        return List.copyOf(runs);
    }

    private PageRun take(int firstPage, int pages, String owner) {
        used.set(firstPage, firstPage + pages);
        java.util.Arrays.fill(refs, firstPage, firstPage + pages, 1);
        PageRun run = new PageRun(base + ((long) firstPage << PAGE_SHIFT), pages);
        live.put(run.physAddr(), new Allocation(run, owner));
        inUse += pages;
        peak = Math.max(peak, inUse);
        return run;
    }

    /// Drops one reference from each page of `run`; pages reaching zero return to the pool.
    private void put(PageRun run) {
        int first = pageIndex(run.physAddr());
        for (int p = first; p < first + run.pages(); p++) {
            if (--refs[p] == 0) {
                used.clear(p);
                inUse--;
            }
        }
    }

    private int pageIndex(long physAddr) {
        return (int) ((physAddr - base) >>> PAGE_SHIFT);
    }

    private void checkRequest(int pages, String owner) {
        Objects.requireNonNull(owner, "owner");
        if (pages < 1) {
            throw new IllegalArgumentException("pages must be positive: " + pages);
        }
        if (closed.get()) {
            throw new IllegalStateException("system memory closed");
        }
    }

    /// Returns a run to the pool.
    ///
    /// @throws IllegalStateException if `run` is not a live allocation of this pool (double free,
    ///         a run from elsewhere, or a sub-run of an allocation): an emulator bug
    public synchronized void free(PageRun run) {
        Objects.requireNonNull(run, "run");
        Allocation a = live.get(run.physAddr());
        if (a == null || !a.run().equals(run)) {
            throw new IllegalStateException("free of a run that is not allocated: " + run);
        }
        live.remove(run.physAddr());
        put(run);
    }

    /// Takes a reference on every page of `run` (which must lie inside pages in use, e.g. part of
    /// an allocation): the pages stay out of the pool until the returned pin is closed, even if
    /// their allocation is freed first.
    ///
    /// @throws IllegalStateException if a page of `run` is not in use (an emulator bug)
    public synchronized Pin pin(PageRun run, String owner) {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(owner, "owner");
        if (closed.get()) {
            throw new IllegalStateException("system memory closed");
        }
        if (run.physAddr() < base || run.physAddr() + run.bytes() > base + size
                || ((run.physAddr() - base) & (PAGE_SIZE - 1)) != 0) {
            throw new IllegalStateException("pin of a run outside RAM: " + run);
        }
        int first = pageIndex(run.physAddr());
        for (int p = first; p < first + run.pages(); p++) {
            if (refs[p] == 0) {
                throw new IllegalStateException("pin of a free page at 0x" + Long.toHexString(base + ((long) p << PAGE_SHIFT)));
            }
        }
        for (int p = first; p < first + run.pages(); p++) {
            refs[p]++;
        }
        Pin pin = new Pin(this, run, owner);
        pins.add(pin);
        return pin;
    }

    synchronized void unpin(Pin pin) {
        if (!pins.remove(pin)) {
            throw new IllegalStateException("pin already released: " + pin.run());
        }
        put(pin.run());
    }

    /// Reference count of the page at `physAddr` (0 = free). For tests and reports.
    public synchronized int refCount(long physAddr) {
        return refs[pageIndex(physAddr)];
    }

    /// Pages currently allocated.
    public synchronized int pagesInUse() {
        return inUse;
    }

    /// Highest [#pagesInUse()] seen.
    public synchronized int peakPagesInUse() {
        return peak;
    }

    /// One line per live allocation, in address order (`owner: N pages at 0x...`), then one per
    /// live pin (`pinned by owner: N pages at 0x...`). At shutdown each line is a leak.
    public synchronized List<String> leaks() {
        List<String> out = new ArrayList<>(live.values().stream()
                .sorted((x, y) -> Long.compare(x.run().physAddr(), y.run().physAddr()))
                .map(a -> String.format("%s: %d pages at 0x%x", a.owner(), a.run().pages(), a.run().physAddr()))
                .toList());
        for (Pin p : pins) {
            out.add(String.format("pinned by %s: %d pages at 0x%x", p.owner(), p.run().pages(), p.run().physAddr()));
        }
        return List.copyOf(out);
    }

    /// The kernel's direct-map view of `length` bytes at physical address `physAddr`.
    ///
    /// @throws IndexOutOfBoundsException if the range is not inside RAM (kernel misuse: an emulator bug)
    public MemorySegment direct(long physAddr, long length) {
        if (length < 0 || physAddr < base || physAddr - base > size - length) {
            throw new IndexOutOfBoundsException(String.format("direct map 0x%x+0x%x outside RAM 0x%x+0x%x",
                    physAddr, length, base, size));
        }
        return ram.asSlice(physAddr - base, length);
    }

    /// Releases RAM. Every view from [#direct] fails afterwards.
    ///
    /// @throws IllegalStateException on a second call
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            throw new IllegalStateException("system memory already closed");
        }
        arena.close();
    }
}
