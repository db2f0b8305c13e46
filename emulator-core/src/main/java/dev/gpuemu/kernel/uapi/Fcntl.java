package dev.gpuemu.kernel.uapi;

/// Open flags (asm-generic/fcntl.h, x86-64 values) and mmap constants (asm-generic/mman-common.h).
///
/// ## Thread safety
/// Constants only.
public final class Fcntl {
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_ACCMODE = 3;
    public static final int O_CLOEXEC = 0x80000; // 02000000

    public static final int PROT_NONE = 0;
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;

    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_FIXED = 0x10;
    public static final int MAP_ANONYMOUS = 0x20;

    /// Page size of the emulated CPU.
    public static final int PAGE_SIZE = 4096;
    public static final int PAGE_SHIFT = 12;

    private Fcntl() {
    }
}
