/// The panthor uAPI (`include/uapi/drm/panthor_drm.h`, driver version 1.5): byte-exact FFM
/// layouts of every ioctl argument and indirect object, the flag and enum constants, and the
/// `DRM_IOCTL_PANTHOR_*` numbers.
///
/// Shared by the kernel driver (`kernel.drivers.tyr`), the userspace client library
/// (`user.panthor`) and the workload language. Data only: nothing here touches a device.
package dev.gpuemu.kernel.uapi.panthor;
