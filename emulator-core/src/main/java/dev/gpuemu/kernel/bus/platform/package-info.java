/// **Kernel world: the platform bus**, matching devices described by firmware tables against drivers by compatible string.
package dev.gpuemu.kernel.bus.platform;
