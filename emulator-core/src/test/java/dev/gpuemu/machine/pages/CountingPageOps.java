package dev.gpuemu.machine.pages;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/// A spy [PageOps]: records each call as `"op bytes"` and delegates.
final class CountingPageOps implements PageOps {
    private final PageOps inner;
    final List<String> calls = new ArrayList<>();

    CountingPageOps(PageOps inner) {
        this.inner = inner;
    }

    private void log(String op, MemorySegment s) {
        calls.add(op + " " + s.byteSize());
    }

    @Override
    public void zero(MemorySegment dst) {
        log("zero", dst);
        inner.zero(dst);
    }

    @Override
    public void fill64(MemorySegment dst, long pattern) {
        log("fill64", dst);
        inner.fill64(dst, pattern);
    }

    @Override
    public void copy(MemorySegment src, MemorySegment dst) {
        log("copy", src);
        inner.copy(src, dst);
    }

    @Override
    public long mismatch(MemorySegment a, MemorySegment b) {
        log("mismatch", a);
        return inner.mismatch(a, b);
    }

    @Override
    public boolean isZero(MemorySegment s) {
        log("isZero", s);
        return inner.isZero(s);
    }

    @Override
    public void fillPattern(MemorySegment dst, long seed, long base) {
        log("fillPattern", dst);
        inner.fillPattern(dst, seed, base);
    }

    @Override
    public long verifyPattern(MemorySegment s, long seed, long base) {
        log("verifyPattern", s);
        return inner.verifyPattern(s, seed, base);
    }

    @Override
    public int crc32c(int crc, MemorySegment s) {
        log("crc32c", s);
        return inner.crc32c(crc, s);
    }

    @Override
    public void swizzleRgbaBgra(MemorySegment src, MemorySegment dst) {
        log("swizzle", src);
        inner.swizzleRgbaBgra(src, dst);
    }
}
