/// **Kernel world: the kernel instance.** Errnos, kernel exceptions, the oops counter and the per-machine Kernel object that owns the log, buses and SRCU domains.
package dev.gpuemu.kernel;
