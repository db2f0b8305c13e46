package dev.gpuemu.kernel.drivers.tyr;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.drm.DrmFile;
import dev.gpuemu.kernel.drm.gem.GemObject;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.panthor.PanthorBo;
import dev.gpuemu.kernel.uapi.panthor.PanthorDrm;
import dev.gpuemu.kernel.vfs.Task;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import dev.gpuemu.regs.mali.MaliPte;
import java.lang.foreign.MemorySegment;

/// `DRM_IOCTL_PANTHOR_BO_CREATE`, `DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET` and
/// `DRM_IOCTL_PANTHOR_BO_SET_LABEL` (panthor_drv.c).
///
/// - BO_CREATE: `size == 0`, `pad != 0`, unknown flags (only `DRM_PANTHOR_BO_NO_MMAP`), or an
///   `exclusive_vm_id` that is not a VM of the file → `EINVAL`; the size is rounded up to whole
///   pages (a size that overflows doing so → `EINVAL`) and written back with the new handle.
/// - BO_MMAP_OFFSET: `pad != 0` → `EINVAL`, unknown handle → `ENOENT`, a `NO_MMAP` BO → `EPERM`;
///   otherwise the object's fake offset (created on first use) for `mmap`.
/// - BO_SET_LABEL (panthor 1.4): `pad != 0` → `EINVAL`, unknown handle → `ENOENT`; `label == 0`
///   clears the label; else the NUL-terminated string is copied from user memory as
///   `strndup_user(label, PANTHOR_BO_LABEL_MAXLEN)`: a fault before its NUL → `EFAULT`, no NUL
///   within [PanthorDrm#PANTHOR_BO_LABEL_MAXLEN] bytes (4095 characters at most) → `E2BIG`
///   (panthor turns strndup_user's `EINVAL` into `E2BIG`).
///
/// ## Thread safety
/// Stateless.
final class TyrBoIoctls {
    private TyrBoIoctls() {
    }

    static int create(MemorySegment arg, DrmFile<TyrFile> file) throws KernelException {
        long size = (long) PanthorBo.Create.SIZE.get(arg);
        int flags = (int) PanthorBo.Create.FLAGS.get(arg);
        int vmId = (int) PanthorBo.Create.EXCLUSIVE_VM_ID.get(arg);
        if (size == 0 || (int) PanthorBo.Create.PAD.get(arg) != 0 || (flags & ~TyrBo.FLAGS) != 0) {
            throw KernelException.of(Errno.EINVAL);
        }
        TyrUserVm vm = null;
        if (vmId != 0) {
            vm = file.driverFile().vm(vmId);
            if (vm == null) {
                throw new KernelException(Errno.EINVAL, "no VM " + vmId);
            }
        }
        long aligned = (size + MaliPte.PAGE_SIZE - 1) & -MaliPte.PAGE_SIZE;
        if (Long.compareUnsigned(aligned, size) < 0 || aligned <= 0) {
            throw new KernelException(Errno.EINVAL, "BO size overflows");
        }
        TyrBo bo = new TyrBo(file.gem().device(), aligned, flags, vm);
        int handle;
        try {
            handle = file.gem().handleCreate(bo);
        } finally {
            bo.put(); // the handle holds the object now
        }
        PanthorBo.Create.SIZE.set(arg, aligned);
        PanthorBo.Create.HANDLE.set(arg, handle);
        return 0;
    }

    static int mmapOffset(MemorySegment arg, DrmFile<TyrFile> file) throws KernelException {
        if ((int) PanthorBo.MmapOffset.PAD.get(arg) != 0) {
            throw KernelException.of(Errno.EINVAL);
        }
        GemObject obj = file.gem().lookup((int) PanthorBo.MmapOffset.HANDLE.get(arg));
        if (obj == null) {
            throw KernelException.of(Errno.ENOENT);
        }
        try {
            if (!(obj instanceof TyrBo bo)) {
                throw new KernelException(Errno.EINVAL, "not a panthor BO");
            }
            if (!bo.mmappable()) {
                throw new KernelException(Errno.EPERM, "BO created with NO_MMAP");
            }
            PanthorBo.MmapOffset.OFFSET.set(arg, bo.createMmapOffset());
            return 0;
        } finally {
            obj.put();
        }
    }

    static int setLabel(MemorySegment arg, DrmFile<TyrFile> file, Task task) throws KernelException {
        if ((int) PanthorBo.SetLabel.PAD.get(arg) != 0) {
            throw KernelException.of(Errno.EINVAL);
        }
        GemObject obj = file.gem().lookup((int) PanthorBo.SetLabel.HANDLE.get(arg));
        if (obj == null) {
            throw KernelException.of(Errno.ENOENT);
        }
        try {
            if (!(obj instanceof TyrBo bo)) {
                throw new KernelException(Errno.EINVAL, "not a panthor BO");
            }
            long va = (long) PanthorBo.SetLabel.LABEL.get(arg);
            bo.setLabel(va == 0 ? null : strndupUser(task, va, PanthorDrm.PANTHOR_BO_LABEL_MAXLEN));
            return 0;
        } finally {
            obj.put();
        }
    }

    /// `strndup_user(va, max)` as BO_SET_LABEL maps its errors: reads page piece by page piece
    /// up to the NUL (`strnlen_user`); a fault first → `EFAULT`; no NUL in `max` bytes → `E2BIG`.
    private static String strndupUser(Task task, long va, int max) throws KernelException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(max);
            long done = 0;
            while (done < max) {
                long at = va + done;
                long piece = Math.min(max - done, MaliPte.PAGE_SIZE - (at & (MaliPte.PAGE_SIZE - 1)));
                if (!task.copyFromUser(buf, done, at, piece)) {
                    throw new KernelException(Errno.EFAULT, "label not readable at 0x" + Long.toHexString(at));
                }
                for (long i = done; i < done + piece; i++) {
                    if (buf.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i) == 0) {
                        return new String(buf.asSlice(0, i).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                                StandardCharsets.UTF_8);
                    }
                }
                done += piece;
            }
            throw new KernelException(Errno.E2BIG, "label longer than " + (max - 1) + " bytes");
        }
    }
}
