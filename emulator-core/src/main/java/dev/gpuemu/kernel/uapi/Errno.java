package dev.gpuemu.kernel.uapi;

/// Linux error numbers (uapi asm-generic/errno-base.h, errno.h), shared by the kernel model and
/// userspace, plus the kernel-internal `EPROBE_DEFER` (include/linux/errno.h), which never reaches
/// userspace.
///
/// Kernel entry points that userspace or sysfs sees return `-code()`; kernel-internal calls
/// throw `dev.gpuemu.kernel.KernelException` carrying one of these.
///
/// ## Thread safety
/// Immutable.
public enum Errno {
    EPERM(1), ENOENT(2), ESRCH(3), EINTR(4), EIO(5), ENXIO(6), E2BIG(7), EBADF(9), EAGAIN(11),
    ENOMEM(12), EACCES(13), EFAULT(14), EBUSY(16), EEXIST(17), ENODEV(19), EINVAL(22), ENFILE(23),
    EMFILE(24), ENOTTY(25), ENOSPC(28), ERANGE(34), ENOSYS(38), ETIME(62), EOVERFLOW(75),
    EOPNOTSUPP(95), ETIMEDOUT(110), ECANCELED(125),
    /// Kernel-internal: "driver requests probe retry"; sysfs `bind` reports it as EAGAIN.
    EPROBE_DEFER(517);

    private static final Errno[] BY_CODE = new Errno[518];

    static {
        for (Errno e : values()) {
            BY_CODE[e.code] = e;
        }
    }

    private final int code;

    Errno(int code) {
        this.code = code;
    }

    /// The positive error number.
    public int code() {
        return code;
    }

    /// The negative return value a syscall or sysfs write reports for this error.
    public int negative() {
        return -code;
    }

    /// Looks up an error by its positive or negative number; `null` when unknown.
    public static Errno ofCode(int code) {
        int c = Math.abs(code);
        return c < BY_CODE.length ? BY_CODE[c] : null;
    }
}
