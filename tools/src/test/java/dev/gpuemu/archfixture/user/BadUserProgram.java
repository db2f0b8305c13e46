package dev.gpuemu.archfixture.user;

/// Fixture: userspace calling a kernel class that is not the syscall API (violation).
public class BadUserProgram {
    public Object run() {
        return new dev.gpuemu.archfixture.kernel.FakeDriver();
    }
}
