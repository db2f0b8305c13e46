/// **Kernel world: the kernel log**, a dmesg-style ring buffer with simulated-time stamps and dev_info-style prefixes.
package dev.gpuemu.kernel.log;
