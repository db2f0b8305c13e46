package dev.gpuemu.kernel.drivers.tyr.sched;

import dev.gpuemu.kernel.drivers.tyr.GpuInfo;
import dev.gpuemu.kernel.drm.DrmFile;

/// What the `GROUP_*` ioctls need from the driver's registration data: the scheduler, and the
/// syncobj table of a file and the GPU info (core masks). `TyrRegistration` implements it
/// (`gpuInfo()` it already has).
public interface SchedRegistration {
    /// The GPU info read at probe (present cores).
    GpuInfo gpuInfo();

    /// The device's scheduler.
    TyrScheduler scheduler();

    /// The syncobj handles of `file` (with the DRM core's `DrmFile.syncobjFind`:
    /// `return file::syncobjFind;`).
    SyncobjTable syncobjs(DrmFile<?> file);
}
