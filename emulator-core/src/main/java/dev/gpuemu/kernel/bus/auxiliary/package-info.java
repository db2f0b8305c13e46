/// **Kernel world: the auxiliary bus**: child devices created and owned by a parent driver's binding, matched by modname.name, with optional registration data.
package dev.gpuemu.kernel.bus.auxiliary;
