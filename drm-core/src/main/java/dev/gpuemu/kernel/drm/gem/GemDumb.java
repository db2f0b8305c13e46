package dev.gpuemu.kernel.drm.gem;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.uapi.Errno;
import java.util.Objects;

/// The generic dumb-buffer helpers a shmem driver plugs into MODE_CREATE_DUMB and
/// MODE_MAP_DUMB: `drm_gem_shmem_dumb_create` (via `drm_gem_shmem_create_with_handle`) and
/// `drm_gem_dumb_map_offset`.
///
/// ## Thread safety
/// Stateless; thread-safe.
public final class GemDumb {
    private GemDumb() {
    }

    /// Creates a shmem object of `geometry.size()` bytes and a handle to it in `file`; the handle
    /// then holds the only reference.
    ///
    /// @return the handle
    /// @throws KernelException as [GemFile#handleCreate(GemObject)] (the object is freed then)
    public static int create(GemFile file, DumbGeometry geometry) throws KernelException {
        Objects.requireNonNull(geometry, "geometry");
        ShmemObject obj = new ShmemObject(file.device(), geometry.size());
        try {
            return file.handleCreate(obj);
        } finally {
            obj.put(); // the creation reference: the handle holds the object now
        }
    }

    /// `drm_gem_dumb_map_offset`: the fake offset to mmap the object named by `handle`,
    /// creating it on first use.
    ///
    /// @throws KernelException ENOENT for an unknown handle, EINVAL for an imported object,
    ///         ENOSPC when the offset space is full
    public static long mapOffset(GemFile file, int handle) throws KernelException {
        GemObject obj = file.lookup(handle);
        if (obj == null) {
            throw new KernelException(Errno.ENOENT, "no GEM handle " + handle);
        }
        try {
            return obj.createMmapOffset();
        } finally {
            obj.put();
        }
    }
}
