package dev.gpuemu.kernel.drivers.nova.drm;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.drm.gem.GemDevice;
import dev.gpuemu.kernel.drm.gem.ShmemObject;

/// A system-memory nova object: a shmem GEM object (CPU-mappable, GPU-mappable through its pinned
/// pages). Created by upstream `GEM_CREATE` and by `GPUEMU_GEM_CREATE` without the VRAM flag; the
/// kernel also uses one per submit for the checked shadow copy of the pushbuffer.
///
/// ## Thread safety
/// As [ShmemObject].
///
/// ## Lifecycle
/// As every GEM object: freed at its last reference (handles, mmaps, VM mappings, jobs).
public final class NovaBo extends ShmemObject {
    NovaBo(GemDevice dev, long size) throws KernelException {
        super(dev, size);
    }
}
