package dev.gpuemu.kernel.proc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/// An immutable, address-sorted set of non-overlapping VMAs: the snapshot readers translate
/// through. Writers build a new set and publish it (copy-on-write).
///
/// ## Thread safety
/// Immutable; [#find] is a binary search over a `long[]` and allocates nothing.
final class VmaSet {
    static final VmaSet EMPTY = new VmaSet(new MmVma[0]);

    private final MmVma[] vmas;
    private final long[] starts;

    private VmaSet(MmVma[] sorted) {
        this.vmas = sorted;
        this.starts = new long[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            starts[i] = sorted[i].start;
            if (i > 0 && sorted[i - 1].end > sorted[i].start) {
                throw new IllegalStateException("overlapping VMAs " + sorted[i - 1] + " and " + sorted[i]);
            }
        }
    }

    /// The VMA containing `va`, or null.
    MmVma find(long va) {
        int lo = 0;
        int hi = starts.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] <= va) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0) {
            return null;
        }
        MmVma v = vmas[found];
        return va < v.end ? v : null;
    }

    int size() {
        return vmas.length;
    }

    List<MmVma> all() {
        return List.of(vmas);
    }

    /// The VMAs intersecting `[from, to)`, in address order.
    List<MmVma> overlapping(long from, long to) {
        List<MmVma> out = new ArrayList<>();
        for (MmVma v : vmas) {
            if (v.start < to && v.end > from) {
                out.add(v);
            }
        }
        return out;
    }

    /// This set without `removed` and with `added`.
    VmaSet replace(Collection<MmVma> removed, Collection<MmVma> added) {
        List<MmVma> next = new ArrayList<>(vmas.length + added.size());
        for (MmVma v : vmas) {
            if (!removed.contains(v)) {
                next.add(v);
            }
        }
        next.addAll(added);
        MmVma[] arr = next.toArray(new MmVma[0]);
        Arrays.sort(arr, (a, b) -> Long.compare(a.start, b.start));
        return new VmaSet(arr);
    }

    /// Top-down search for a free range of `length` bytes inside `[low, high)`; -1 when none.
    long findFreeTopDown(long length, long low, long high) {
        long ceiling = high;
        for (int i = vmas.length - 1; i >= -1; i--) {
            long floor = i >= 0 ? Math.max(vmas[i].end, low) : low;
            if (i >= 0 && vmas[i].start >= high) {
                continue;
            }
            long top = Math.min(ceiling, high);
            if (top - floor >= length) {
                return top - length;
            }
            if (i >= 0) {
                ceiling = vmas[i].start;
                if (ceiling <= low) {
                    return -1;
                }
            }
        }
        return -1;
    }
}
