package dev.gpuemu.kernel.drivers.tyr.sched;

import dev.gpuemu.kernel.drm.syncobj.Syncobj;

/// A file's syncobj handles (`drm_syncobj_find`).
@FunctionalInterface
public interface SyncobjTable {
    /// The syncobj behind `handle`, or null.
    Syncobj find(int handle);
}
