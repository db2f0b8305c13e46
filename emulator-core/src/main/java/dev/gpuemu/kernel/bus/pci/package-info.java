/// **Kernel world: the PCI bus**: enumeration through configuration space, BAR sizing and assignment, match by ID or class, remove and rescan.
package dev.gpuemu.kernel.bus.pci;
