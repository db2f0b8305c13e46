package dev.gpuemu.machine.pages;

import java.lang.foreign.MemorySegment;
import java.util.zip.CRC32C;

/// CRC32C through the JDK's intrinsic (`java.util.zip.CRC32C.update(ByteBuffer)` on a direct
/// buffer runs the AVX-512/CLMUL stub), resumable from any CRC value.
///
/// `CRC32C` cannot be told a starting value, only reset; [Crc32cTable#resumeBytes(int)] gives
/// four bytes that steer a reset instance to the register of the value to resume from, so
/// `update(crc, s)` equals the CRC32C of (the data behind `crc`) followed by `s`.
///
/// ## Thread safety
/// One `CRC32C` per thread (a `ThreadLocal`, created on a thread's first call).
final class Crc32cJdk {
    /// `asByteBuffer` works on at most 2^31-1 bytes.
    private static final long CHUNK = 1L << 30;
    private static final ThreadLocal<CRC32C> PER_THREAD = ThreadLocal.withInitial(CRC32C::new);

    private Crc32cJdk() {
    }

    static int update(int crc, MemorySegment s) {
        CRC32C c = PER_THREAD.get();
        c.reset();
        if (crc != 0) {
            int x = Crc32cTable.resumeBytes(crc);
            c.update(x);
            c.update(x >>> 8);
            c.update(x >>> 16);
            c.update(x >>> 24);
        }
        long n = s.byteSize();
        if (n <= CHUNK) {
            c.update(s.asByteBuffer());
        } else {
            for (long off = 0; off < n; off += CHUNK) {
                c.update(s.asSlice(off, Math.min(CHUNK, n - off)).asByteBuffer());
            }
        }
        return (int) c.getValue();
    }
}
