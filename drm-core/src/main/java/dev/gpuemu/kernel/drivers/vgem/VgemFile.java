package dev.gpuemu.kernel.drivers.vgem;

import dev.gpuemu.kernel.dmabuf.DmaFence;
import dev.gpuemu.kernel.drm.Idr;

/// vgem's per-file state (`struct vgem_file`): the fences attached through this file, by id.
///
/// ## Thread safety
/// Thread-safe (the [Idr] locks).
public final class VgemFile {
    final Idr<DmaFence> fences = new Idr<>();

    /// Fences attached and not yet signaled through this file.
    public int pendingFences() {
        return fences.size();
    }
}
