package dev.gpuemu.kernel.sync;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.Optional;

/// The Linux `membarrier(2)` system call, reached through FFM (`syscall(2)` from libc), used
/// as the writer half of an *asymmetric* fence.
///
/// `MEMBARRIER_CMD_PRIVATE_EXPEDITED` makes every CPU that currently runs a thread of this
/// process execute a full memory barrier (by IPI) before the call returns; CPUs that do not run
/// one of our threads pass through a context switch, which is itself a full barrier. So a
/// reader may replace its `smp_mb()` by a compiler barrier as long as the writer calls
/// [#privateExpedited()] where its own `smp_mb()` would be (see [Srcu] for the pairing).
///
/// ## Invariants
/// - [#instance()] is present only if `MEMBARRIER_CMD_QUERY` reported both
///   `PRIVATE_EXPEDITED` and `REGISTER_PRIVATE_EXPEDITED` and the registration returned 0.
///   The registration is process-wide and done at most once per JVM (class initialisation).
///
/// ## Thread safety
/// Immutable; [#privateExpedited()] may be called from any thread concurrently.
///
/// ## Lifecycle
/// Probed once when the class is initialised; never torn down (the kernel keeps the
/// registration for the life of the process).
final class Membarrier {

    /// `MEMBARRIER_CMD_QUERY`: returns the bitmask of supported commands.
    static final int MEMBARRIER_CMD_QUERY = 0;
    /// `MEMBARRIER_CMD_PRIVATE_EXPEDITED` (bit 3).
    static final int MEMBARRIER_CMD_PRIVATE_EXPEDITED = 1 << 3;
    /// `MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED` (bit 4).
    static final int MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED = 1 << 4;

    private static final Optional<Membarrier> INSTANCE = probe();

    private final MethodHandle syscall;
    private final long sysno;

    private Membarrier(final MethodHandle syscall, final long sysno) {
        this.syscall = syscall;
        this.sysno = sysno;
    }

    /// The registered membarrier, or empty when it is not usable here (not Linux, unknown
    /// architecture, native access denied, seccomp, old kernel, registration refused).
    static Optional<Membarrier> instance() {
        return INSTANCE;
    }

    /// Issues `membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0)`: on return, every thread of
    /// this process has passed a full memory barrier since the call began.
    ///
    /// @throws IllegalStateException if the kernel refuses a command it accepted at
    ///         registration (a broken emulator invariant, not a guest error)
    void privateExpedited() {
        final long rc = call(MEMBARRIER_CMD_PRIVATE_EXPEDITED);
        if (rc != 0) {
            throw new IllegalStateException("membarrier(PRIVATE_EXPEDITED) failed: " + rc);
        }
    }

    private long call(final int cmd) {
        try {
            return (long) syscall.invokeExact(sysno, cmd, 0, 0);
        } catch (final Throwable t) {
            throw new IllegalStateException("membarrier downcall failed", t);
        }
    }

    @SuppressWarnings("restricted") // the downcall below; needs --enable-native-access
    private static Optional<Membarrier> probe() {
        final long sysno = syscallNumber();
        if (sysno < 0) {
            return Optional.empty();
        }
        try {
            final Linker linker = Linker.nativeLinker();
            final Optional<MemorySegment> symbol = linker.defaultLookup().find("syscall");
            if (symbol.isEmpty()) {
                return Optional.empty();
            }
            // UNSAFE: restricted downcall. The descriptor must match libc's
            // long syscall(long number, ...); the three ints are variadic (int is not promoted).
            final MethodHandle handle = linker.downcallHandle(symbol.get(),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
                    Linker.Option.firstVariadicArg(1));
            final Membarrier m = new Membarrier(handle, sysno);
            final long supported = m.call(MEMBARRIER_CMD_QUERY);
            final long needed = MEMBARRIER_CMD_PRIVATE_EXPEDITED | MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED;
            if (supported < 0 || (supported & needed) != needed) {
                return Optional.empty();
            }
            if (m.call(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) != 0) {
                return Optional.empty();
            }
            return Optional.of(m);
        } catch (final RuntimeException | LinkageError e) {
            // IllegalCallerException (native access denied), UnsupportedOperationException
            // (no native linker), IllegalStateException from call(): fall back to fences.
            return Optional.empty();
        }
    }

    /// `__NR_membarrier` for this platform, or -1 if unknown.
    private static long syscallNumber() {
        final String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux")) {
            return -1;
        }
        return switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> 324;
            case "aarch64" -> 283;
            default -> -1;
        };
    }
}
