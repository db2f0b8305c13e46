/// **Kernel world: vgem**, the virtual GEM provider (drivers/gpu/drm/vgem): a software DRM driver
/// with shmem objects, dumb-buffer creation, mmap, PRIME and the two fence ioctls, so the DRM core
/// can be exercised and benchmarked without a GPU. It binds on the faux bus.
package dev.gpuemu.kernel.drivers.vgem;
