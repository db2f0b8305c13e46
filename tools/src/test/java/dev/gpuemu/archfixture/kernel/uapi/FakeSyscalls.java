package dev.gpuemu.archfixture.kernel.uapi;

/// Fixture: the syscall-like API userspace may use.
public class FakeSyscalls {
    public int ioctl(int fd, long cmd) {
        return -25;
    }
}
