package dev.gpuemu.kernel.drm.gem;

import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.vfs.Vma;
import dev.gpuemu.kernel.vfs.VmaOps;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/// `drm_gem_mmap` and `drm_gem_mmap_obj`: maps a GEM object into a process through its fake
/// offset. The DRM core checks unplug (`-ENODEV`) before calling [#mmap].
///
/// A successful mapping installs [VmaOps] that hold one object reference per VMA (taken here for
/// the first VMA, by `open` for split or duplicated ones, dropped by `close`) plus whatever the
/// object's [GemObject#vmOpen()]/[GemObject#vmClose()] account (shmem: a pages use), and whose
/// `fault` asks [GemObject#fault(long)] (null = SIGBUS).
///
/// ## Thread safety
/// Stateless; thread-safe.
public final class GemMmap {
    private GemMmap() {
    }

    /// `drm_gem_mmap` without the unplug check.
    ///
    /// @return 0, `-EINVAL` (no object at exactly this offset and size, object dying, VMA larger
    ///         than the object, object without mmap support, CoW mapping of shmem), `-EACCES`
    ///         (the file holds no handle granting access), or the object's own error
    public static int mmap(GemDevice dev, GemFile file, Vma vma) {
        Objects.requireNonNull(dev, "dev");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(vma, "vma");
        GemObject obj = dev.offsets().lookupObject(vma.pgoff(), vma.pages());
        if (obj == null) {
            return Errno.EINVAL.negative();
        }
        try {
            if (!dev.offsets().isAllowed(obj.vmaNode(), file)) {
                return Errno.EACCES.negative();
            }
            return mmapObject(obj, obj.size(), vma, vma.pgoff());
        } finally {
            obj.put(); // the lookup reference; the VMA holds its own
        }
    }

    /// `drm_gem_mmap_obj`: maps `obj` (whose caller holds a reference) into `vma`. `basePgoff`
    /// is the VMA page offset that corresponds to object page 0 (the node start for the DRM
    /// file, 0 for a dma-buf).
    ///
    /// @param objSize the size the mapping may not exceed
    /// @return 0 or a negative errno, as [#mmap]
    public static int mmapObject(GemObject obj, long objSize, Vma vma, long basePgoff) {
        if (objSize < vma.length()) {
            return Errno.EINVAL.negative();
        }
        obj.get(); // the VMA's reference, dropped by close
        int ret = obj.mmap(vma);
        if (ret != 0) {
            obj.put();
            return ret;
        }
        vma.setOps(new GemVmOps(obj, basePgoff));
        vma.setPrivateData(obj);
        return 0;
    }

    /// `drm_gem_vm_open/close` plus the object's fault handler.
    private static final class GemVmOps implements VmaOps {
        private final GemObject obj;
        private final long basePgoff;

        GemVmOps(GemObject obj, long basePgoff) {
            this.obj = obj;
            this.basePgoff = basePgoff;
        }

        @Override
        public void open(Vma vma) {
            obj.get();
            obj.vmOpen();
        }

        @Override
        public void close(Vma vma) {
            try {
                obj.vmClose();
            } finally {
                obj.put();
            }
        }

        @Override
        public MemorySegment fault(Vma vma, long pageIndex) {
            // A split VMA keeps its file offset: object page = file page - base.
            long page = vma.pgoff() - basePgoff + pageIndex;
            if (pageIndex < 0 || page < 0) {
                return null;
            }
            return obj.fault(page);
        }

        @Override
        public String toString() {
            return "gem vm ops of " + obj;
        }
    }
}
