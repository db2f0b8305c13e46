/// **Kernel world: GEM, the DRM core's buffer objects.** Refcounted objects ([GemObject],
/// `drm_gem_object`) named by per-file handles ([GemFile], `drm_file.object_idr`), mapped by
/// userspace through fake page offsets ([VmaOffsetManager], `drm_vma_offset_manager`) and
/// [GemMmap] (`drm_gem_mmap`), and the shmem helper ([ShmemObject], `drm_gem_shmem_object`)
/// whose pages come lazily from the machine's page pool. Per-device state lives in [GemDevice].
///
/// Facts: Linux drivers/gpu/drm/drm_gem.c, drm_vma_manager.c, drm_gem_shmem_helper.c,
/// drm_dumb_buffers.c (see docs and the reference notes, kernel-semantics §2).
///
/// ## Lifetimes
/// Objects die at their last reference (handles, mmaps, driver references, later dma-bufs),
/// never at unplug: unplug only zaps CPU mappings through [GemDevice#mapping()], and the shmem
/// fault handler re-maps the same pages afterwards.
package dev.gpuemu.kernel.drm.gem;
