/// **Machine substrate: PCI host bridge.** Configuration space access by bus/device/function and the type-0 header (IDs, command, BARs with the sizing protocol) that PCI device models embed.
package dev.gpuemu.machine.pci;
