package dev.gpuemu.kernel.drivers.nova.drm;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.drivers.nova.core.VramAllocation;
import dev.gpuemu.kernel.drm.DrmFile;
import dev.gpuemu.kernel.drm.gem.GemObject;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.nova.NovaDrm;
import dev.gpuemu.kernel.uapi.nova.NovaGpuemu;
import java.lang.foreign.MemorySegment;

/// Upstream `GETPARAM`, `GEM_CREATE`, `GEM_INFO` (drivers/gpu/drm/nova/file.rs) and the
/// extension's `GPUEMU_GEM_CREATE`, `GPUEMU_GEM_MMAP_OFFSET`.
///
/// - GETPARAM: `NOVA_GETPARAM_VRAM_BAR_SIZE` → BAR1 length; any other param → `EINVAL`.
/// - GEM_CREATE: size 0 or rounding it up to 4 KiB overflows → `EINVAL`; `pad` not checked
///   (upstream); a system-memory object; the rounded size is not written back (upstream).
/// - GEM_INFO: unknown handle → `ENOENT`; `size` out.
/// - GPUEMU_GEM_CREATE: unknown flag bits, size 0 or overflow → `EINVAL`; VRAM exhausted →
///   `ENOMEM`; rounded `size` and `handle` out.
/// - GPUEMU_GEM_MMAP_OFFSET: `pad != 0` → `EINVAL`; unknown handle → `ENOENT`; the fake offset
///   (system memory: shmem pages; VRAM: BAR1 pages).
///
/// ## Thread safety
/// Stateless.
final class NovaGemIoctls {
    static final long PAGE = 4096;

    private NovaGemIoctls() {
    }

    static int getParam(NovaRegistration data, MemorySegment arg) throws KernelException {
        long param = (long) NovaDrm.GetParam.PARAM.get(arg);
        if (param != NovaDrm.NOVA_GETPARAM_VRAM_BAR_SIZE) {
            throw new KernelException(Errno.EINVAL, "unknown nova param " + Long.toUnsignedString(param));
        }
        NovaDrm.GetParam.VALUE.set(arg, data.aux().bar1Length());
        return 0;
    }

    static int gemCreate(MemorySegment arg, DrmFile<NovaFile> file) throws KernelException {
        long size = pageAlign((long) NovaDrm.GemCreate.SIZE.get(arg));
        NovaDrm.GemCreate.HANDLE.set(arg, publish(new NovaBo(file.gem().device(), size), file));
        return 0;
    }

    static int gemInfo(MemorySegment arg, DrmFile<NovaFile> file) throws KernelException {
        GemObject obj = file.gem().lookup((int) NovaDrm.GemInfo.HANDLE.get(arg));
        if (obj == null) {
            throw KernelException.of(Errno.ENOENT);
        }
        try {
            NovaDrm.GemInfo.SIZE.set(arg, obj.size());
            return 0;
        } finally {
            obj.put();
        }
    }

    static int gpuemuGemCreate(NovaRegistration data, MemorySegment arg, DrmFile<NovaFile> file)
            throws KernelException {
        int flags = (int) NovaGpuemu.GemCreate.FLAGS.get(arg);
        if ((flags & ~NovaGpuemu.NOVA_GPUEMU_GEM_CREATE_VRAM) != 0) {
            throw new KernelException(Errno.EINVAL, "gem_create flags 0x" + Integer.toHexString(flags));
        }
        long size = pageAlign((long) NovaGpuemu.GemCreate.SIZE.get(arg));
        GemObject obj;
        if ((flags & NovaGpuemu.NOVA_GPUEMU_GEM_CREATE_VRAM) != 0) {
            VramAllocation vram = data.aux().allocVram(size); // ENOMEM when full
            NovaVramBo bo;
            try {
                bo = new NovaVramBo(file.gem().device(), data, vram);
            } catch (KernelException | RuntimeException e) {
                vram.close();
                throw e;
            }
            data.track(bo);
            obj = bo;
        } else {
            obj = new NovaBo(file.gem().device(), size);
        }
        int handle = publish(obj, file);
        NovaGpuemu.GemCreate.SIZE.set(arg, size);
        NovaGpuemu.GemCreate.HANDLE.set(arg, handle);
        return 0;
    }

    static int mmapOffset(MemorySegment arg, DrmFile<NovaFile> file) throws KernelException {
        if ((int) NovaGpuemu.GemMmapOffset.PAD.get(arg) != 0) {
            throw KernelException.of(Errno.EINVAL);
        }
        GemObject obj = file.gem().lookup((int) NovaGpuemu.GemMmapOffset.HANDLE.get(arg));
        if (obj == null) {
            throw KernelException.of(Errno.ENOENT);
        }
        try {
            NovaGpuemu.GemMmapOffset.OFFSET.set(arg, obj.createMmapOffset());
            return 0;
        } finally {
            obj.put();
        }
    }

    /// Rounds up to 4 KiB: 0 or an overflow → `EINVAL`.
    static long pageAlign(long size) throws KernelException {
        long aligned = (size + PAGE - 1) & -PAGE;
        if (size == 0 || Long.compareUnsigned(aligned, size) < 0 || aligned <= 0) {
            throw new KernelException(Errno.EINVAL, "object size 0x" + Long.toHexString(size));
        }
        return aligned;
    }

    private static int publish(GemObject obj, DrmFile<NovaFile> file) throws KernelException {
        try {
            return file.gem().handleCreate(obj);
        } finally {
            obj.put(); // the handle holds the object now
        }
    }
}
