package dev.gpuemu.archfixture.user;

/// Fixture: userspace using only the syscall API (allowed).
public class GoodUserProgram {
    public int run() {
        return new dev.gpuemu.archfixture.kernel.uapi.FakeSyscalls().ioctl(3, 0xC0406400L);
    }
}
