/// **Kernel world: the edu driver**, a PCI driver for the edu test device.
package dev.gpuemu.kernel.drivers.edu;
