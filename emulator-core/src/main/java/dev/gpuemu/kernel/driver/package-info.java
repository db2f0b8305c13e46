/// **Kernel world: the driver core.** Devices, drivers, buses, probe/bind/unbind, device contexts as proof types (Normal, Core, Bound), devres and the sysfs-like control surface.
package dev.gpuemu.kernel.driver;
