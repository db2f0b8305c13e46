/// **Userspace: a libdrm-like DRM client.** Programs running in an emulated process reach the
/// DRM stack only through the syscall surface of `dev.gpuemu.kernel.uapi` ([dev.gpuemu.kernel.uapi.Syscalls]
/// and [dev.gpuemu.kernel.uapi.UserMemory]) and the byte-exact uAPI layouts of
/// `dev.gpuemu.kernel.uapi.drm`; never kernel internals, hardware or the machine.
///
/// [DrmClient] wraps one open DRM fd (core, GEM, dumb buffers, PRIME, syncobjs, mmap),
/// [VgemClient] adds vgem's fence ioctls, [UserMapping] is one `mmap` of a DRM or dma-buf fd,
/// and failures surface as [DrmErrnoException] (or as raw `-errno` through [DrmClient#ioctl]).
package dev.gpuemu.user.drm;
