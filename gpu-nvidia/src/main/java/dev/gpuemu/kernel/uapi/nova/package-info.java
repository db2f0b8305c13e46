/// The nova uAPI: `include/uapi/drm/nova_drm.h` byte-exact (GETPARAM, GEM_CREATE, GEM_INFO) and
/// gpuemu's documented extension numbered after it (`DRM_IOCTL_NOVA_GPUEMU_*`: placement-aware
/// object creation, mmap offsets, GPU VMs, VM_BIND, channels, SUBMIT). docs/devices/nvidia-ga102.md ("nova-drm and its uAPI")
/// and the C header docs/uapi/nova_drm_gpuemu.h describe the same layouts.
///
/// Shared by the kernel driver (`kernel.drivers.nova.drm`), the client library (`user.nova`) and
/// the workload language. Data only: nothing here touches a device.
package dev.gpuemu.kernel.uapi.nova;
