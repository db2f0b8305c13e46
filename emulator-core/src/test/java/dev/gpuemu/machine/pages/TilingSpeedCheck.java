package dev.gpuemu.machine.pages;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

/// Rough speed check of vector vs scalar tiling (not a test, not run by surefire; the real
/// numbers come from JMH). Run: `java --add-modules jdk.incubator.vector -cp
/// target/classes:target/test-classes dev.gpuemu.machine.pages.TilingSpeedCheck [side] [bpp...]`.
/// Prints microseconds per call after warm-up (best of 5 rounds) and bytes allocated per call.
public final class TilingSpeedCheck {
    private TilingSpeedCheck() {
    }

    private interface Op {
        void run();
    }

    public static void main(String[] args) {
        int side = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int[] bpps = args.length > 1 ? java.util.Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {4};
        try (Arena arena = Arena.ofConfined()) {
            for (int bpp : bpps) {
                SurfaceGeometry g = SurfaceGeometry.packed(side, side, bpp);
                MemorySegment linear = TilingFixtures.randomSegment(arena, new SplittableRandom(1), g.linearBytes());
                MemorySegment mali = arena.allocate(Tilings.scalar().maliTiledBytes(g));
                MemorySegment nv = arena.allocate(Tilings.scalar().blockLinearBytes(g, 4));
                for (Tiling t : new Tiling[] {Tilings.scalar(), Tilings.vector()}) {
                    String n = t == Tilings.scalar() ? "scalar" : "vector";
                    report(n + " bpp" + bpp + " maliTile", () -> t.maliTile(linear, mali, g));
                    report(n + " bpp" + bpp + " maliDetile", () -> t.maliDetile(mali, linear, g));
                    report(n + " bpp" + bpp + " blTile", () -> t.blockLinearTile(linear, nv, g, 4));
                    report(n + " bpp" + bpp + " blDetile", () -> t.blockLinearDetile(nv, linear, g, 4));
                }
            }
        }
    }

    /// This thread's allocated bytes, through reflection (the test module does not read
    /// java.management at compile time; on the class path it is readable at run time).
    private static long allocatedBytes() {
        try {
            Object mx = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            return (long) Class.forName("com.sun.management.ThreadMXBean")
                    .getMethod("getCurrentThreadAllocatedBytes").invoke(mx);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void report(String name, Op op) {
        for (int i = 0; i < 3000; i++) {
            op.run();
        }
        long a0 = allocatedBytes();
        for (int i = 0; i < 1000; i++) {
            op.run();
        }
        double bytesPerOp = (allocatedBytes() - a0) / 1000.0;
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            int n = 500;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                op.run();
            }
            best = Math.min(best, (System.nanoTime() - t0) / 1e3 / n);
        }
        System.out.printf("%-28s %9.2f us  %8.1f B/op allocated%n", name, best, bytesPerOp);
    }
}
