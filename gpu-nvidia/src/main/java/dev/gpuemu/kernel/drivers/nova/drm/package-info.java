/// nova-drm: the DRM driver on nova-core's auxiliary device `NovaCore.nova-drm.<id>`
/// (kernel-semantics §6.4), with upstream's three ioctls and gpuemu's documented extension
/// (objects in system memory or VRAM, GPU VMs, channels, checked pushbuffer submits with syncobj
/// fences). See docs/devices/nvidia-ga102.md ("nova-drm and its uAPI").
///
/// Kernel code: the device is reached only through nova-core's registration data
/// (`kernel.drivers.nova.core.NovaAuxData`), never through `dev.gpuemu.hw..`.
package dev.gpuemu.kernel.drivers.nova.drm;
