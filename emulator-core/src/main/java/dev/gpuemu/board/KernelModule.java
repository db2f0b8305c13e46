package dev.gpuemu.board;

import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.KernelException;

/// A built-in driver module: registers its drivers with the kernel (`module_init`).
@FunctionalInterface
public interface KernelModule {
    void init(Kernel kernel) throws KernelException;
}
