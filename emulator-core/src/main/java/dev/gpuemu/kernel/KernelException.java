package dev.gpuemu.kernel;

import dev.gpuemu.kernel.uapi.Errno;
import java.util.Objects;

/// A kernel function's error return, the Java form of `Err(ENODEV)` or a negative errno.
///
/// These are ordinary control flow (a probe that fails, a bind of an unknown device), so the
/// exception carries no stack trace and is cheap to throw.
///
/// ## Thread safety
/// Immutable.
public class KernelException extends Exception {
    private static final long serialVersionUID = 1L;

    private static final KernelException[] SHARED = new KernelException[Errno.values().length];

    static {
        for (Errno e : Errno.values()) {
            SHARED[e.ordinal()] = new KernelException(e);
        }
    }

    private final Errno errno;

    /// A shared instance for `errno` with no message beyond its name: allocation-free for hot
    /// error paths (an ioctl answering `EOPNOTSUPP`). Safe to share because these exceptions
    /// carry neither a stack trace nor suppressed exceptions.
    public static KernelException of(Errno errno) {
        return SHARED[errno.ordinal()];
    }

    public KernelException(Errno errno, String message) {
        super(message, null, false, false);
        this.errno = Objects.requireNonNull(errno, "errno");
    }

    public KernelException(Errno errno) {
        this(errno, errno.name());
    }

    /// The error this exception stands for.
    public Errno errno() {
        return errno;
    }
}
