package dev.gpuemu.kernel.drm;

import dev.gpuemu.kernel.drm.gem.GemMmap;
import dev.gpuemu.kernel.drm.gem.GemObject;
import dev.gpuemu.kernel.vfs.FileOps;
import dev.gpuemu.kernel.vfs.KFile;
import dev.gpuemu.kernel.vfs.Task;
import dev.gpuemu.kernel.vfs.Vma;
import java.util.Objects;

/// `struct dma_buf` exported from a GEM object (PRIME). The open file that carries it holds a
/// reference to the object and to the exporting device, so both outlive the exporter's handles,
/// its files, and unplug, until the last fd and mapping of the dma-buf are gone.
///
/// ## Thread safety
/// Immutable; the release hook runs once, at the file's last reference.
public final class DmaBuf {
    /// `dma_buf_fops`: mmap maps the object from offset 0; release drops the references.
    public static final FileOps FOPS = new FileOps() {
        @Override
        public int mmap(KFile file, Task task, Vma vma) {
            DmaBuf b = file.privateData(DmaBuf.class);
            return GemMmap.mmapObject(b.object, b.object.size(), vma, 0);
        }

        @Override
        public void release(KFile file) {
            file.privateData(DmaBuf.class).release();
        }
    };

    private final GemObject object;
    private final Object exporter;
    private final Runnable onRelease;

    /// @param object    the exported object; the dma-buf takes over one reference to it
    /// @param exporter  identity of the exporting device, for self-import checks
    /// @param onRelease runs after the object reference is dropped (the exporter's device put)
    public DmaBuf(GemObject object, Object exporter, Runnable onRelease) {
        this.object = Objects.requireNonNull(object, "object");
        this.exporter = Objects.requireNonNull(exporter, "exporter");
        this.onRelease = Objects.requireNonNull(onRelease, "onRelease");
    }

    public GemObject object() {
        return object;
    }

    /// The exporting device's identity.
    public Object exporter() {
        return exporter;
    }

    public long size() {
        return object.size();
    }

    private void release() {
        object.put();
        onRelease.run();
    }
}
