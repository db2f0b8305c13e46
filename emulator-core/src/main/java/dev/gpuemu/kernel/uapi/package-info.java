/// **The syscall boundary.** Everything userspace (`dev.gpuemu.user..`) may see of the kernel:
/// the syscall surface of an emulated process ([Syscalls], [UserMemory]), the ABI constants
/// (errno numbers, `_IOC` encoding, open/mmap flags) and, in drm-core, the DRM uAPI struct
/// layouts (`kernel.uapi.drm`). Arguments cross the boundary as bytes in emulated user memory,
/// laid out as in the real uAPI headers.
package dev.gpuemu.kernel.uapi;
