/// **Kernel world: firmware loading.** `request_firmware()` over the machine's firmware files (the
/// emulated `/lib/firmware`); the kernel never reads host files itself.
package dev.gpuemu.kernel.firmware;
