package dev.gpuemu.kernel.uapi;

/// The `_IOC` ioctl number encoding of asm-generic/ioctl.h (x86-64): bits 0-7 `nr`, 8-15 `type`,
/// 16-29 `size`, 30-31 `dir` with [#WRITE] = userspace to kernel ("in") and [#READ] = kernel to
/// userspace ("out").
///
/// ## Thread safety
/// Pure functions.
public final class Ioc {
    public static final int NONE = 0;
    public static final int WRITE = 1;
    public static final int READ = 2;

    public static final int NR_BITS = 8;
    public static final int TYPE_BITS = 8;
    public static final int SIZE_BITS = 14;
    public static final int MAX_SIZE = (1 << SIZE_BITS) - 1;

    /// The DRM ioctl type, `'d'`.
    public static final int DRM_TYPE = 'd';

    private Ioc() {
    }

    /// `_IOC(dir, type, nr, size)`.
    public static int ioc(int dir, int type, int nr, int size) {
        if ((dir & ~3) != 0 || (type & ~0xff) != 0 || (nr & ~0xff) != 0 || size < 0 || size > MAX_SIZE) {
            throw new IllegalArgumentException("bad _IOC(" + dir + ", " + type + ", " + nr + ", " + size + ")");
        }
        return dir << 30 | size << 16 | type << 8 | nr;
    }

    public static int io(int type, int nr) {
        return ioc(NONE, type, nr, 0);
    }

    public static int iow(int type, int nr, int size) {
        return ioc(WRITE, type, nr, size);
    }

    public static int ior(int type, int nr, int size) {
        return ioc(READ, type, nr, size);
    }

    public static int iowr(int type, int nr, int size) {
        return ioc(READ | WRITE, type, nr, size);
    }

    public static int dir(int cmd) {
        return cmd >>> 30;
    }

    public static int type(int cmd) {
        return cmd >>> 8 & 0xff;
    }

    public static int nr(int cmd) {
        return cmd & 0xff;
    }

    public static int size(int cmd) {
        return cmd >>> 16 & MAX_SIZE;
    }

    /// `0xC0406400`-style rendering for logs.
    public static String toString(int cmd) {
        return String.format("0x%08X", cmd);
    }
}
