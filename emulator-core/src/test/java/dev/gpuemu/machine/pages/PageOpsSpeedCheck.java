package dev.gpuemu.machine.pages;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.function.ToLongFunction;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/// Throwaway speed/allocation sanity check, not a test (surefire does not run `*Check`); the real
/// numbers come from the JMH benchmarks. Run after `verify`:
/// `java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes
///  dev.gpuemu.machine.pages.PageOpsSpeedCheck [rounds]`
/// Prints ns per 4 KiB page (best of rounds, L1-resident) and bytes allocated per call.
public final class PageOpsSpeedCheck {
    private static final int PAGE = 4096;
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED;
    private static final VectorShuffle<Byte> SWAP02 = VectorShuffle.fromOp(B, i -> i ^ ((~i & 1) << 1));
    private static long sink;

    private PageOpsSpeedCheck() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        PageOps v = PageEngine.vector();
        PageOps s = PageEngine.scalar();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocate(PAGE, 64);
            MemorySegment b = arena.allocate(PAGE, 64);
            MemorySegment z = arena.allocate(PAGE, 64);
            byte[] rnd = new byte[PAGE];
            new SplittableRandom(1).nextBytes(rnd);
            MemorySegment.copy(MemorySegment.ofArray(rnd), 0, a, 0, PAGE);
            MemorySegment.copy(a, 0, b, 0, PAGE);
            v.fillPattern(b, 7, 0x1000);
            MemorySegment pat = arena.allocate(PAGE, 64);
            v.fillPattern(pat, 7, 0x1000);
            MemorySegment eq = arena.allocate(PAGE, 64);
            MemorySegment.copy(a, 0, eq, 0, PAGE);

            for (PageOps ops : new PageOps[] {v, s}) {
                String p = ops == v ? "vector " : "scalar ";
                run(p + "zero", rounds, () -> { ops.zero(z); return 0; });
                run(p + "fill64", rounds, () -> { ops.fill64(z, 0x0123456789abcdefL); return 0; });
                run(p + "copy", rounds, () -> { ops.copy(a, b); return 0; });
                run(p + "mismatch(equal)", rounds, () -> { eq.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, a.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0)); return ops.mismatch(a, eq); });
                run(p + "isZero(zero page)", rounds, () -> { z.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 0); return ops.isZero(z) ? 1 : 0; });
                run(p + "fillPattern", rounds, () -> { ops.fillPattern(b, 7, 0x1000); return 0; });
                run(p + "verifyPattern(ok)", rounds, () -> { pat.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, pat.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0)); return ops.verifyPattern(pat, 7, 0x1000); });
                run(p + "crc32c(0,.)", rounds, () -> { a.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) sink); return ops.crc32c(0, a); });
                run(p + "crc32c(c,.)", rounds, () -> ops.crc32c(0x1234567, a));
                run(p + "swizzle out", rounds, () -> { ops.swizzleRgbaBgra(a, b); return 0; });
                run(p + "swizzle in", rounds, () -> { ops.swizzleRgbaBgra(b, b); return 0; });
                v.zero(z);
            }
            run("alt MemorySegment.fill 0", rounds, () -> { z.fill((byte) 0); return 0; });
            run("alt vector copy loop", rounds, () -> { vectorCopy(a, b); return 0; });
            run("alt MemorySegment.copy", rounds, () -> { MemorySegment.copy(a, 0, b, 0, PAGE); return 0; });
            run("alt MemorySegment.mismatch", rounds, () -> { eq.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, a.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0)); return a.mismatch(eq); });
            run("alt mismatch per-vector", rounds, () -> { eq.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, a.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0)); return mismatch1(a, eq); });
            run("alt mismatch 2x int", rounds, () -> { eq.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, a.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0)); return mismatch2(a, eq); });
            run("alt swizzle byte shuffle", rounds, () -> { shuffleSwizzle(a, b); return 0; });
            run("alt java.util.zip.CRC32C direct bb", rounds, () -> crcJdk(a));
        }
        try (var mem = new dev.gpuemu.machine.mem.SystemMemory(0x10_0000, 64 * PAGE, new dev.gpuemu.machine.GuestErrors())) {
            var scattered = new java.util.ArrayList<dev.gpuemu.machine.mem.PageRun>();
            for (int p = 0; p < 16; p++) {
                scattered.add(new dev.gpuemu.machine.mem.PageRun(0x10_0000 + 2L * p * PAGE, 1));
            }
            var contiguous = java.util.List.of(new dev.gpuemu.machine.mem.PageRun(0x10_0000 + 40L * PAGE, 16));
            var scatteredList = java.util.List.copyOf(scattered);
            run("sg zero 16 scattered pages (per page)", rounds, () -> { PageEngine.zero(v, mem, scatteredList); return 0; }, 16);
            run("sg zero 16-page stretch (per page)", rounds, () -> { PageEngine.zero(v, mem, contiguous); return 0; }, 16);
            run("sg copy scattered->stretch (per page)", rounds, () -> { PageEngine.copy(v, mem, scatteredList, contiguous); return 0; }, 16);
            run("sg crc32c scattered (per page)", rounds, () -> PageEngine.crc32c(v, mem, scatteredList), 16);
            PageEngine.fillPattern(v, mem, scatteredList, 3);
            run("sg verifyPattern scattered (per page)", rounds, () -> PageEngine.verifyPattern(v, mem, scatteredList, 3), 16);
        }
        System.out.println("sink " + sink);
    }

    private static final java.util.zip.CRC32C JDK_CRC = new java.util.zip.CRC32C();

    private static long crcJdk(MemorySegment a) {
        JDK_CRC.reset();
        JDK_CRC.update(a.asByteBuffer());
        return JDK_CRC.getValue();
    }

    private static void vectorCopy(MemorySegment src, MemorySegment dst) {
        long n = src.byteSize();
        int vb = B.vectorByteSize();
        long last = n - vb;
        for (long i = 0; i < last; i += vb) {
            ByteVector.fromMemorySegment(B, src, i, ByteOrder.LITTLE_ENDIAN).intoMemorySegment(dst, i, ByteOrder.LITTLE_ENDIAN);
        }
        ByteVector.fromMemorySegment(B, src, last, ByteOrder.LITTLE_ENDIAN).intoMemorySegment(dst, last, ByteOrder.LITTLE_ENDIAN);
    }

    private static long mismatch1(MemorySegment a, MemorySegment b) {
        long n = a.byteSize();
        int vb = B.vectorByteSize();
        for (long i = 0; i <= n - vb; i += vb) {
            var ne = ByteVector.fromMemorySegment(B, a, i, ByteOrder.LITTLE_ENDIAN)
                    .compare(jdk.incubator.vector.VectorOperators.NE, ByteVector.fromMemorySegment(B, b, i, ByteOrder.LITTLE_ENDIAN));
            if (ne.anyTrue()) {
                return i + ne.firstTrue();
            }
        }
        return -1;
    }

    private static long mismatch2(MemorySegment a, MemorySegment b) {
        int n = (int) a.byteSize();
        int vb = B.vectorByteSize();
        for (int i = 0; i <= n - 2 * vb; i += 2 * vb) {
            var x = ByteVector.fromMemorySegment(B, a, i, ByteOrder.LITTLE_ENDIAN)
                    .lanewise(jdk.incubator.vector.VectorOperators.XOR, ByteVector.fromMemorySegment(B, b, i, ByteOrder.LITTLE_ENDIAN));
            var y = ByteVector.fromMemorySegment(B, a, i + vb, ByteOrder.LITTLE_ENDIAN)
                    .lanewise(jdk.incubator.vector.VectorOperators.XOR, ByteVector.fromMemorySegment(B, b, i + vb, ByteOrder.LITTLE_ENDIAN));
            if (x.or(y).compare(jdk.incubator.vector.VectorOperators.NE, (byte) 0).anyTrue()) {
                return i;
            }
        }
        return -1;
    }

    private static void shuffleSwizzle(MemorySegment src, MemorySegment dst) {
        long n = src.byteSize();
        int vb = B.vectorByteSize();
        for (long i = 0; i <= n - vb; i += vb) {
            ByteVector.fromMemorySegment(B, src, i, ByteOrder.LITTLE_ENDIAN).rearrange(SWAP02)
                    .intoMemorySegment(dst, i, ByteOrder.LITTLE_ENDIAN);
        }
    }

    /// `com.sun.management.ThreadMXBean.getCurrentThreadAllocatedBytes()` by reflection (the
    /// module does not read jdk.management; this runs on the class path).
    private static long allocated() {
        try {
            return (long) ALLOCATED.invoke(MX);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final Object MX;
    private static final java.lang.reflect.Method ALLOCATED;

    static {
        try {
            MX = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            ALLOCATED = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    interface Op {
        long run();
    }

    private static void run(String name, int rounds, Op op) {
        run(name, rounds, op, 1);
    }

    private static void run(String name, int rounds, Op op, int pagesPerCall) {
        int reps = (name.startsWith("scalar") ? 20_000 : 200_000) / pagesPerCall;
        double best = Double.MAX_VALUE;
        double alloc = 0;
        for (int r = 0; r < rounds; r++) {
            long a0 = allocated();
            long t0 = System.nanoTime();
            long acc = 0;
            for (int i = 0; i < reps; i++) {
                acc += op.run();
            }
            long t1 = System.nanoTime();
            long a1 = allocated();
            sink += acc;
            best = Math.min(best, (t1 - t0) / (double) reps / pagesPerCall);
            alloc = (a1 - a0) / (double) reps;
        }
        System.out.printf("%-36s %9.1f ns/page  %6.2f GB/s  alloc(last round) %.3f B/call%n", name, best, PAGE / best, alloc);
    }
}
