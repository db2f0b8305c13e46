package dev.gpuemu.machine.mem;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/// Large zero-filled host memory for guest RAM, from anonymous `mmap(2)` where the host allows
/// it: the host kernel hands out zero pages lazily, so a 256 MiB machine costs nothing until
/// its pages are touched. `Arena.allocate` zero-fills eagerly instead (about 0.35 s for
/// 256 MiB on these machines, most of a short boot), so it is only the fallback.
///
/// ## Invariants
/// - A segment from [#allocateZeroed] reads as zeros before its first write and is
///   page-aligned; it is unmapped when `arena` closes, and not before.
///
/// ## Thread safety
/// Stateless; the method handles are immutable.
///
/// ## Lifecycle
/// The libc symbols are looked up once at class initialisation.
final class HostPages {
    private static final int PROT_READ = 0x1;
    private static final int PROT_WRITE = 0x2;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_ANONYMOUS = 0x20; // Linux value on x86-64 and aarch64
    private static final int MAP_NORESERVE = 0x4000;

    private static final Optional<MethodHandle[]> LIBC = lookup();

    private HostPages() {
    }

    /// `bytes` of zero-filled memory aligned to `align` (at most the host page size when
    /// mapped), freed when `arena` closes.
    static MemorySegment allocateZeroed(Arena arena, long bytes, long align) {
        if (LIBC.isPresent() && align <= 4096) {
            MethodHandle[] mh = LIBC.get();
            long addr;
            try {
                MemorySegment p = (MemorySegment) mh[0].invokeExact(MemorySegment.NULL, bytes,
                        PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0L);
                addr = p.address();
            } catch (Throwable t) {
                throw new IllegalStateException("mmap downcall failed", t);
            }
            if (addr != -1L && addr != 0) {
                MethodHandle munmap = mh[1];
                // UNSAFE: the mapping is exactly `bytes` long from `addr`; the segment's scope is
                // the arena, and the cleanup unmaps it when the arena closes (after every access
                // through the segment has become impossible).
                return MemorySegment.ofAddress(addr).reinterpret(bytes, arena, seg -> {
                    try {
                        int rc = (int) munmap.invokeExact(MemorySegment.ofAddress(seg.address()), bytes);
                        if (rc != 0) {
                            throw new IllegalStateException("munmap failed: " + rc);
                        }
                    } catch (Throwable t) {
                        throw new IllegalStateException("munmap downcall failed", t);
                    }
                });
            }
        }
        return arena.allocate(bytes, align);
    }

    @SuppressWarnings("restricted") // the downcalls below; needs --enable-native-access
    private static Optional<MethodHandle[]> lookup() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return Optional.empty();
        }
        try {
            Linker linker = Linker.nativeLinker();
            var libc = linker.defaultLookup();
            MethodHandle mmap = linker.downcallHandle(libc.find("mmap").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
            MethodHandle munmap = linker.downcallHandle(libc.find("munmap").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
            return Optional.of(new MethodHandle[] {mmap, munmap});
        } catch (RuntimeException | Error e) { // IllegalCallerException without native access, etc.
            return Optional.empty();
        }
    }
}
