package dev.gpuemu.testing;

import java.lang.reflect.Method;
import org.junit.jupiter.api.Assumptions;

/// Bytes allocated by the current thread, for "this hot path allocates nothing" tests.
///
/// The counter (`com.sun.management.ThreadMXBean`) is reached reflectively: the module does not
/// read `jdk.management`, and tests run on the class path. Tests using it are skipped (not
/// failed) on a JVM without the counter.
public final class AllocationCounter {
    private final Object mx;
    private final Method allocatedBytes;

    private AllocationCounter(Object mx, Method allocatedBytes) {
        this.mx = mx;
        this.allocatedBytes = allocatedBytes;
    }

    /// The counter of this JVM; skips the calling test when there is none.
    public static AllocationCounter require() {
        try {
            Object mx = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            Class<?> sunMx = Class.forName("com.sun.management.ThreadMXBean");
            Assumptions.assumeTrue(sunMx.isInstance(mx)
                    && (boolean) sunMx.getMethod("isThreadAllocatedMemoryEnabled").invoke(mx));
            return new AllocationCounter(mx, sunMx.getMethod("getCurrentThreadAllocatedBytes"));
        } catch (ReflectiveOperationException e) {
            Assumptions.abort("no thread allocation counter: " + e);
            throw new AssertionError(e);
        }
    }

    /// Bytes the current thread has allocated so far.
    public long bytes() {
        try {
            return (long) allocatedBytes.invoke(mx);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
