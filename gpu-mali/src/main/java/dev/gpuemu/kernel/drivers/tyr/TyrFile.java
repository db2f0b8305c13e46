package dev.gpuemu.kernel.drivers.tyr;

import dev.gpuemu.kernel.drivers.tyr.sched.FileGroups;
import dev.gpuemu.kernel.drivers.tyr.sched.GroupFile;
import dev.gpuemu.kernel.drivers.tyr.sched.GroupVm;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.drm.Idr;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.panthor.PanthorDrm;

/// Tyr's per-open-file state (`struct panthor_file`): the file's VM pool (`VM_CREATE` ids,
/// 1..[#MAX_VMS]) and its group pool ([FileGroups], `GROUP_CREATE` handles). BOs are the file's
/// GEM handles (the DRM core's `GemFile`).
///
/// ## Thread safety
/// The pools are thread-safe; each VM serialises its own changes.
///
/// ## Lifecycle
/// opened with the DRM file → [#release] once at postclose: groups destroyed first (they map
/// ring buffers into the VMs), then every VM left.
public final class TyrFile implements GroupFile {
    /// `PANTHOR_MAX_VMS_PER_FILE`.
    public static final int MAX_VMS = 32;

    final Idr<TyrUserVm> vms = new Idr<>();
    private final FileGroups groups = new FileGroups(this::groupVm);
    /// `user_mmio.offset`; ORDERING: volatile (panthor's `WRITE_ONCE`/`READ_ONCE`).
    private volatile long userMmioOffset = PanthorDrm.DRM_PANTHOR_USER_MMIO_OFFSET;
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

    /// The fake mmap offset of the user MMIO page this file uses (`DRM_PANTHOR_USER_MMIO_OFFSET`
    /// of a 64-bit task until `SET_USER_MMIO_OFFSET` changes it).
    public long userMmioOffset() {
        return userMmioOffset;
    }

    /// `DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET` (panthor 1.5): only
    /// `DRM_PANTHOR_USER_MMIO_OFFSET_32BIT` or `_64BIT`, else `EINVAL`.
    int setUserMmioOffset(long offset) throws KernelException {
        if (offset != PanthorDrm.DRM_PANTHOR_USER_MMIO_OFFSET_32BIT
                && offset != PanthorDrm.DRM_PANTHOR_USER_MMIO_OFFSET_64BIT) {
            throw new KernelException(Errno.EINVAL, "user MMIO offset 0x" + Long.toHexString(offset));
        }
        userMmioOffset = offset;
        return 0;
    }

    @Override
    public FileGroups groups() {
        return groups;
    }

    /// The VM `id` as a group sees it: its page tables, with the kernel VA range (above the
    /// user's `user_va_range`) for the scheduler's ring buffers and sync objects; null when the
    /// file has no such live VM.
    GroupVm groupVm(int id) {
        TyrUserVm v = vm(id);
        if (v == null || v.isDestroyed() || v.vm().isDestroyed()) {
            return null;
        }
        return new GroupVm(v.vm(), v.userVaEnd(), v.vm().vaEnd());
    }

    /// `panthor_postclose`: destroys the file's groups (`panthor_group_pool_destroy`; after
    /// unplug the scheduler already freed them) then every VM left (`panthor_vm_pool_destroy`).
    /// Once.
    synchronized void release() {
        if (released) {
            throw new IllegalStateException("tyr file already released");
        }
        released = true;
        groups.close();
        vms.drain(TyrUserVm::destroy);
    }
}
