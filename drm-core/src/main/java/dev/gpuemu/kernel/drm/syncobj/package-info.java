/// **Kernel world: DRM sync objects** (`drm_syncobj.c`): a container for a [dev.gpuemu.kernel.dmabuf.DmaFence]
/// that userspace names by a per-file handle or shares as an fd.
package dev.gpuemu.kernel.drm.syncobj;
