/// **The DRM uAPI, byte for byte.** The argument structs of `include/uapi/drm/drm.h` and the dumb
/// buffer structs of `drm_mode.h` as `StructLayout`s (x86-64, little-endian, user pointers as
/// 64-bit integers), `VarHandle`s for their fields on a `MemorySegment` holding the struct at
/// offset 0, the ioctl numbers ([DrmIoctls]) and the flag and capability constants. The layouts
/// are checked against the C header by `DrmUapiLayoutTest` when a header and gcc are present.
package dev.gpuemu.kernel.uapi.drm;
