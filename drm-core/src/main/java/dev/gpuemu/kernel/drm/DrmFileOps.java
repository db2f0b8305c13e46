package dev.gpuemu.kernel.drm;

import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.vfs.FileOps;
import dev.gpuemu.kernel.vfs.KFile;
import dev.gpuemu.kernel.vfs.Task;
import dev.gpuemu.kernel.vfs.Vma;

/// The `file_operations` of every DRM minor (`drm_open` is [Minor#open]): ioctl goes to
/// [DrmIoctlDispatch], mmap to GEM after the unplug check, release frees the [DrmFile].
///
/// ## Thread safety
/// Stateless.
final class DrmFileOps implements FileOps {
    static final DrmFileOps INSTANCE = new DrmFileOps();

    private DrmFileOps() {
    }

    @Override
    public int ioctl(KFile file, Task task, int cmd, long arg) {
        return DrmIoctlDispatch.ioctl(file.privateData(DrmFile.class), task, cmd, arg);
    }

    @Override
    public int mmap(KFile file, Task task, Vma vma) {
        DrmFile<?> f = file.privateData(DrmFile.class);
        if (f.state.isUnplugged()) {
            return Errno.ENODEV.negative();
        }
        return f.state.mmap(f, vma);
    }

    @Override
    public void release(KFile file) {
        file.privateData(DrmFile.class).release();
    }
}
