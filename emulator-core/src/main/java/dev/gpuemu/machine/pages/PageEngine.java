package dev.gpuemu.machine.pages;

import dev.gpuemu.machine.mem.PageRun;
import dev.gpuemu.machine.mem.SystemMemory;
import java.lang.foreign.MemorySegment;
import java.util.List;

/// Entry point of the page engine: the two [PageOps] implementations, and scatter-gather forms of
/// the operations over lists of [PageRun]s in [SystemMemory] (what GEM hands to DMA).
///
/// Scatter-gather semantics: a list is one logical byte stream, its runs in list order. Runs that
/// are physically adjacent (`a.end() == b.physAddr()`) are coalesced, so a contiguous stretch is
/// a single [PageOps] call however many runs describe it. Offsets returned ([#mismatch],
/// [#verifyPattern]) are offsets in the logical stream. Empty lists are empty streams.
///
/// Every helper takes the [PageOps] to run with ([#vector()] for speed, [#scalar()] as the
/// reference).
///
/// ## Thread safety
/// Stateless. Callers own the pages they pass (GEM's locking keeps them alive and unshared).
///
/// ## Allocation
/// The helpers iterate by index (no iterator); each coalesced stretch costs one
/// `SystemMemory.direct` slice, which C2 may or may not scalar-replace.
public final class PageEngine {
    private PageEngine() {
    }

    /// The Vector API implementation (the one to use).
    public static PageOps vector() {
        return VectorPageOps.INSTANCE;
    }

    /// The plain-loop reference implementation.
    public static PageOps scalar() {
        return ScalarPageOps.INSTANCE;
    }

    /// Zeroes every page of `sg`.
    public static void zero(PageOps ops, SystemMemory mem, List<PageRun> sg) {
        for (int i = 0, j; i < sg.size(); i = j) {
            j = stretchEnd(sg, i);
            ops.zero(stretch(mem, sg, i, j));
        }
    }

    /// Fills every page of `sg` with the 64-bit `pattern` (pages are whole words, so each stretch
    /// starts at phase 0).
    public static void fill64(PageOps ops, SystemMemory mem, List<PageRun> sg, long pattern) {
        for (int i = 0, j; i < sg.size(); i = j) {
            j = stretchEnd(sg, i);
            ops.fill64(stretch(mem, sg, i, j), pattern);
        }
    }

    /// Copies the stream of `src` to the stream of `dst`; the lists may be split at different
    /// points, each overlapping piece of two stretches is one [PageOps#copy] call.
    ///
    /// @throws IllegalArgumentException if the two streams differ in length
    public static void copy(PageOps ops, SystemMemory mem, List<PageRun> src, List<PageRun> dst) {
        sameTotal(src, dst);
        int si = 0;
        int sj = 0;
        int di = 0;
        int dj = 0;
        long sAddr = 0;
        long sLeft = 0;
        long dAddr = 0;
        long dLeft = 0;
        while (true) {
            if (sLeft == 0) {
                if (sj == src.size()) {
                    return; // totals match, so dst is exhausted too
                }
                si = sj;
                sj = stretchEnd(src, si);
                sAddr = src.get(si).physAddr();
                sLeft = src.get(sj - 1).end() - sAddr;
            }
            if (dLeft == 0) {
                di = dj;
                dj = stretchEnd(dst, di);
                dAddr = dst.get(di).physAddr();
                dLeft = dst.get(dj - 1).end() - dAddr;
            }
            long n = Math.min(sLeft, dLeft);
            ops.copy(mem.direct(sAddr, n), mem.direct(dAddr, n));
            sAddr += n;
            sLeft -= n;
            dAddr += n;
            dLeft -= n;
        }
    }

    /// Whether every byte of `sg` is zero.
    public static boolean isZero(PageOps ops, SystemMemory mem, List<PageRun> sg) {
        for (int i = 0, j; i < sg.size(); i = j) {
            j = stretchEnd(sg, i);
            if (!ops.isZero(stretch(mem, sg, i, j))) {
                return false;
            }
        }
        return true;
    }

    /// Offset in the logical stream of the first byte where `a` and `b` differ, or -1.
    ///
    /// @throws IllegalArgumentException if the two streams differ in length
    public static long mismatch(PageOps ops, SystemMemory mem, List<PageRun> a, List<PageRun> b) {
        sameTotal(a, b);
        int ai = 0;
        int aj = 0;
        int bi = 0;
        int bj = 0;
        long aAddr = 0;
        long aLeft = 0;
        long bAddr = 0;
        long bLeft = 0;
        long done = 0;
        while (true) {
            if (aLeft == 0) {
                if (aj == a.size()) {
                    return -1;
                }
                ai = aj;
                aj = stretchEnd(a, ai);
                aAddr = a.get(ai).physAddr();
                aLeft = a.get(aj - 1).end() - aAddr;
            }
            if (bLeft == 0) {
                bi = bj;
                bj = stretchEnd(b, bi);
                bAddr = b.get(bi).physAddr();
                bLeft = b.get(bj - 1).end() - bAddr;
            }
            long n = Math.min(aLeft, bLeft);
            long at = ops.mismatch(mem.direct(aAddr, n), mem.direct(bAddr, n));
            if (at >= 0) {
                return done + at;
            }
            done += n;
            aAddr += n;
            aLeft -= n;
            bAddr += n;
            bLeft -= n;
        }
    }

    /// Fills `sg` with the test pattern of `seed`, each page for the physical address it lives at.
    public static void fillPattern(PageOps ops, SystemMemory mem, List<PageRun> sg, long seed) {
        for (int i = 0, j; i < sg.size(); i = j) {
            j = stretchEnd(sg, i);
            long addr = sg.get(i).physAddr();
            ops.fillPattern(stretch(mem, sg, i, j), seed, addr);
        }
    }

    /// Offset in the logical stream of the first byte of `sg` that differs from the test pattern
    /// of `seed` at its physical address, or -1.
    public static long verifyPattern(PageOps ops, SystemMemory mem, List<PageRun> sg, long seed) {
        long done = 0;
        for (int i = 0, j; i < sg.size(); i = j) {
            j = stretchEnd(sg, i);
            long addr = sg.get(i).physAddr();
            long bytes = sg.get(j - 1).end() - addr;
            long at = ops.verifyPattern(mem.direct(addr, bytes), seed, addr);
            if (at >= 0) {
                return done + at;
            }
            done += bytes;
        }
        return -1;
    }

    /// CRC32C of the stream of `sg` (starting from 0).
    public static int crc32c(PageOps ops, SystemMemory mem, List<PageRun> sg) {
        int crc = 0;
        for (int i = 0, j; i < sg.size(); i = j) {
            j = stretchEnd(sg, i);
            crc = ops.crc32c(crc, stretch(mem, sg, i, j));
        }
        return crc;
    }

    /// Index one past the last run of the physically contiguous stretch that starts at run `i`.
    private static int stretchEnd(List<PageRun> sg, int i) {
        long end = sg.get(i).end();
        int j = i + 1;
        while (j < sg.size() && sg.get(j).physAddr() == end) {
            end = sg.get(j).end();
            j++;
        }
        return j;
    }

    /// The direct-map view of runs `[i, j)`, which [#stretchEnd] found contiguous.
    private static MemorySegment stretch(SystemMemory mem, List<PageRun> sg, int i, int j) {
        long addr = sg.get(i).physAddr();
        return mem.direct(addr, sg.get(j - 1).end() - addr);
    }

    private static void sameTotal(List<PageRun> a, List<PageRun> b) {
        long ta = total(a);
        long tb = total(b);
        if (ta != tb) {
            throw new IllegalArgumentException("scatter-gather lengths differ: " + ta + " vs " + tb + " bytes");
        }
    }

    private static long total(List<PageRun> sg) {
        long t = 0;
        for (int i = 0; i < sg.size(); i++) {
            t += sg.get(i).bytes();
        }
        return t;
    }
}
