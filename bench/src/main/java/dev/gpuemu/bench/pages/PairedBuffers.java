package dev.gpuemu.bench.pages;

import dev.gpuemu.machine.pages.PageEngine;
import dev.gpuemu.machine.pages.PageOps;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;

/// The native buffers of the paired measurement and the batches that run over them, Java and C
/// on the same memory. Three buffers of the same size: `src` holds the test pattern (seed
/// [PageEngineBenchmark#SEED], page `i` at base `i * 4096`), `dst` a copy of it (so mismatch scans
/// every byte), `zeros` only zeros (so is-zero scans every byte). Copies go `src` to `dst`,
/// zeroing goes to `zeros`, so every batch leaves the contents as they were.
///
/// A batch covers `pages` pages from page `first`, page `first + i * step`: step 0 repeats one
/// page (the l1 class), step 1 streams (the dram class). Scans return how many pages failed;
/// anything but 0 means the buffers were corrupted, and the caller throws.
///
/// ## Lifecycle
/// Allocated by the constructor in a confined arena; [#close] frees it. Single use: a second
/// `close()` throws [IllegalStateException].
///
/// ## Thread safety
/// Confined to the creating thread.
final class PairedBuffers implements AutoCloseable {
    static final int PAGE = 4096;
    private static final PageOps OPS = PageEngine.vector();

    /// One batch: `pages` pages from `first` with step 0 or 1; returns the failed-page count.
    @FunctionalInterface
    interface Batch {
        long run(int first, int pages, int step);
    }

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment src;
    private final MemorySegment dst;
    private final MemorySegment zeros;
    // Pre-made page slices, as in PageEngineBenchmark: slicing inside the loop would allocate
    // whenever the callee is not inlined, and that cost would be the harness's.
    private final MemorySegment[] srcPages;
    private final MemorySegment[] dstPages;
    private final MemorySegment[] zeroPages;
    private boolean closed;

    /// Allocates and fills three buffers of `bytes` each (a positive multiple of 4096).
    PairedBuffers(long bytes) {
        if (bytes <= 0 || bytes % PAGE != 0 || bytes / PAGE > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("buffer size must be a positive multiple of 4096: " + bytes);
        }
        src = arena.allocate(bytes, PAGE);
        dst = arena.allocate(bytes, PAGE);
        zeros = arena.allocate(bytes, PAGE); // Arena.allocate zero-fills, touching every page
        OPS.fillPattern(src, PageEngineBenchmark.SEED, 0);
        OPS.copy(src, dst);
        srcPages = slices(src);
        dstPages = slices(dst);
        zeroPages = slices(zeros);
    }

    private static MemorySegment[] slices(MemorySegment all) {
        MemorySegment[] out = new MemorySegment[(int) (all.byteSize() / PAGE)];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.asSlice((long) i * PAGE, PAGE);
        }
        return out;
    }

    /// Pages per buffer.
    int pages() {
        return srcPages.length;
    }

    /// The all-zero buffer (tests corrupt it to check the scans' guard).
    MemorySegment zeros() {
        return zeros;
    }

    /// Whether the buffers' memory is still allocated.
    boolean isAlive() {
        return src.scope().isAlive();
    }

    /// The Java batches: the Vector API engine, one separate loop per operation (so each loop has
    /// its own profile and compiled code, like one JMH benchmark method each).
    Map<String, Batch> java() {
        Map<String, Batch> m = new LinkedHashMap<>();
        m.put("copy", (first, pages, step) -> {
            for (int i = 0; i < pages; i++) {
                int p = first + i * step;
                OPS.copy(srcPages[p], dstPages[p]);
            }
            return 0;
        });
        m.put("zero", (first, pages, step) -> {
            for (int i = 0; i < pages; i++) {
                OPS.zero(zeroPages[first + i * step]);
            }
            return 0;
        });
        m.put("isZero", (first, pages, step) -> {
            long bad = 0;
            for (int i = 0; i < pages; i++) {
                bad += OPS.isZero(zeroPages[first + i * step]) ? 0 : 1;
            }
            return bad;
        });
        m.put("mismatch", (first, pages, step) -> {
            long bad = 0;
            for (int i = 0; i < pages; i++) {
                int p = first + i * step;
                bad += OPS.mismatch(srcPages[p], dstPages[p]) == -1 ? 0 : 1;
            }
            return bad;
        });
        m.put("verifyPattern", (first, pages, step) -> {
            long bad = 0;
            for (int i = 0; i < pages; i++) {
                int p = first + i * step;
                bad += OPS.verifyPattern(srcPages[p], PageEngineBenchmark.SEED, (long) p * PAGE) == -1 ? 0 : 1;
            }
            return bad;
        });
        return m;
    }

    /// The C batches over the same buffers, one downcall each.
    Map<String, Batch> c(PageKernels k) {
        Map<String, Batch> m = new LinkedHashMap<>();
        m.put("c_memcpy", (f, n, s) -> { k.memcpyPages(at(dst, f), at(src, f), n, (long) s * PAGE); return 0; });
        m.put("c_memset", (f, n, s) -> { k.memsetPages(at(zeros, f), n, (long) s * PAGE); return 0; });
        m.put("c_vector_copy", (f, n, s) -> { k.vcopyPages(at(dst, f), at(src, f), n, (long) s * PAGE); return 0; });
        m.put("c_vector_zero", (f, n, s) -> { k.vzeroPages(at(zeros, f), n, (long) s * PAGE); return 0; });
        m.put("c_rep_movsb", (f, n, s) -> { k.movsbPages(at(dst, f), at(src, f), n, (long) s * PAGE); return 0; });
        m.put("c_rep_stosb", (f, n, s) -> { k.stosbPages(at(zeros, f), n, (long) s * PAGE); return 0; });
        m.put("c_memcmp", (f, n, s) -> k.memcmpPages(at(src, f), at(dst, f), n, (long) s * PAGE));
        m.put("c_is_zero", (f, n, s) -> k.nonZeroPages(at(zeros, f), n, (long) s * PAGE, false));
        m.put("c_is_zero4", (f, n, s) -> k.nonZeroPages(at(zeros, f), n, (long) s * PAGE, true));
        return m;
    }

    private static MemorySegment at(MemorySegment buffer, int firstPage) {
        return buffer.asSlice((long) firstPage * PAGE);
    }

    @Override
    public void close() {
        if (closed) {
            throw new IllegalStateException("PairedBuffers already closed");
        }
        closed = true;
        arena.close();
    }
}
