package dev.gpuemu.machine.pages;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/// Shared shapes and data for the page-engine property tests: which (offset, length) slices to
/// try, and random native buffers to slice them from.
final class PageCases {
    /// Room around every slice: the largest case plus a full alignment sweep and slack.
    static final int BUFFER = 3 * 4096 + 200 + 256;
    /// The ragged multi-page length.
    static final int RAGGED = 3 * 4096 + 77;

    /// A slice shape: `length` bytes at `offset` into a [#BUFFER]-byte buffer.
    record Slice(int offset, int length) {
        MemorySegment of(MemorySegment buffer) {
            return buffer.asSlice(offset, length);
        }
    }

    private PageCases() {
    }

    /// Every length 0..300 (each at a few start alignments, to hit every tail of every
    /// alignment class), and every start alignment 0..63 for page-sized and ragged lengths.
    /// `multipleOf` restricts lengths (8 for the pattern, 4 for pixels); offsets stay arbitrary.
    static List<Slice> slices(int multipleOf) {
        List<Slice> out = new ArrayList<>();
        for (int len = 0; len <= 300; len += multipleOf) {
            for (int off : new int[] {0, 1, 8, 63, (len * 37) % 64}) {
                out.add(new Slice(off, len));
            }
        }
        for (int off = 0; off < 64; off++) {
            for (int len : new int[] {4096, RAGGED - RAGGED % multipleOf, 64 * 5 + 24}) {
                out.add(new Slice(off, len));
            }
        }
        return out;
    }

    /// A native buffer of [#BUFFER] random bytes.
    static MemorySegment random(Arena arena, SplittableRandom rnd) {
        MemorySegment s = arena.allocate(BUFFER, 64);
        byte[] bytes = new byte[BUFFER];
        rnd.nextBytes(bytes);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, s, 0, BUFFER);
        return s;
    }

    /// A native copy of `s`.
    static MemorySegment copyOf(Arena arena, MemorySegment s) {
        MemorySegment c = arena.allocate(s.byteSize(), 64);
        MemorySegment.copy(s, 0, c, 0, s.byteSize());
        return c;
    }
}
