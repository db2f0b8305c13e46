package dev.gpuemu.hw.mali.mmu;

import java.lang.reflect.Method;
import org.junit.jupiter.api.Assumptions;

/// Bytes allocated by the current thread (`com.sun.management.ThreadMXBean`, reached
/// reflectively as in emulator-core's `AllocationCounter`, which this module cannot see); the
/// calling test is skipped on a JVM without the counter.
final class ThreadAllocations {
    private final Object mx;
    private final Method allocatedBytes;

    private ThreadAllocations(Object mx, Method allocatedBytes) {
        this.mx = mx;
        this.allocatedBytes = allocatedBytes;
    }

    static ThreadAllocations require() {
        try {
            Object mx = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            Class<?> sunMx = Class.forName("com.sun.management.ThreadMXBean");
            Assumptions.assumeTrue(sunMx.isInstance(mx)
                    && (boolean) sunMx.getMethod("isThreadAllocatedMemoryEnabled").invoke(mx));
            return new ThreadAllocations(mx, sunMx.getMethod("getCurrentThreadAllocatedBytes"));
        } catch (ReflectiveOperationException e) {
            Assumptions.abort("no thread allocation counter: " + e);
            throw new AssertionError(e);
        }
    }

    long bytes() {
        try {
            return (long) allocatedBytes.invoke(mx);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
