package dev.gpuemu.machine.pages;

import java.lang.foreign.MemorySegment;

/// Argument checks shared by both [PageOps] implementations. A failure is an emulator or kernel
/// bug (the guest never reaches these directly), so it throws `IllegalArgumentException`.
final class PageChecks {
    private PageChecks() {
    }

    static void sameLength(MemorySegment src, MemorySegment dst) {
        if (src.byteSize() != dst.byteSize()) {
            throw new IllegalArgumentException(
                    "length mismatch: src " + src.byteSize() + " bytes, dst " + dst.byteSize() + " bytes");
        }
    }

    static void patternAligned(MemorySegment s, long base) {
        if (((base | s.byteSize()) & 7) != 0) {
            throw new IllegalArgumentException(String.format(
                    "pattern base 0x%x and length %d must be multiples of 8", base, s.byteSize()));
        }
    }

    static void pixels(MemorySegment src, MemorySegment dst) {
        sameLength(src, dst);
        if ((src.byteSize() & 3) != 0) {
            throw new IllegalArgumentException("pixel data length not a multiple of 4: " + src.byteSize());
        }
    }
}
