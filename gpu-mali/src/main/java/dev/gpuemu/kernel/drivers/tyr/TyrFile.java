package dev.gpuemu.kernel.drivers.tyr;

import dev.gpuemu.kernel.drm.Idr;

/// Tyr's per-open-file state (`struct panthor_file`): the file's VM pool (`VM_CREATE` ids,
/// 1..[#MAX_VMS]). BOs are the file's GEM handles (the DRM core's `GemFile`).
///
/// ## Thread safety
/// The pool is thread-safe; each VM serialises its own changes.
///
/// ## Lifecycle
/// opened with the DRM file → [#release] once at postclose: every VM left is destroyed.
public final class TyrFile {
    /// `PANTHOR_MAX_VMS_PER_FILE`.
    public static final int MAX_VMS = 32;

    final Idr<TyrUserVm> vms = new Idr<>();
    private boolean released;

    TyrFile() {
    }

    /// The VM with id `id`, or null.
    public TyrUserVm vm(int id) {
        return id <= 0 ? null : vms.find(id);
    }

    /// Number of VMs the file holds.
    public int vmCount() {
        return vms.size();
    }

    /// `panthor_vm_pool_destroy`: destroys every VM left. Once.
    synchronized void release() {
        if (released) {
            throw new IllegalStateException("tyr file already released");
        }
        released = true;
        vms.drain(TyrUserVm::destroy);
    }
}
