package dev.gpuemu.kernel.drm;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.vfs.CharDev;
import dev.gpuemu.kernel.vfs.KFile;
import dev.gpuemu.kernel.vfs.Task;

/// `struct drm_minor`: one device node of a DRM device (`/dev/dri/card0`, `/dev/dri/renderD128`).
///
/// ## Lifecycle
/// allocated (slot reserved, invisible) → registered (node in `/dev/dri`, openable) →
/// unregistered (node gone; files already open keep working until unplug makes them `ENODEV`)
/// → slot freed.
///
/// ## Thread safety
/// `open` runs concurrently with registration changes; visibility is a volatile flag.
public final class Minor implements CharDev {
    private final DrmCore core;
    private final MinorType type;
    private final int index;
    private final DrmDeviceState<?, ?, ?> dev;
    private volatile boolean visible;
    private AutoCloseable node;

    Minor(DrmCore core, MinorType type, int index, DrmDeviceState<?, ?, ?> dev) {
        this.core = core;
        this.type = type;
        this.index = index;
        this.dev = dev;
    }

    public MinorType type() {
        return type;
    }

    /// The minor number (0.., 128..).
    public int index() {
        return index;
    }

    public String path() {
        return type.path(index);
    }

    boolean isVisible() {
        return visible;
    }

    DrmDeviceState<?, ?, ?> device() {
        return dev;
    }

    /// `drm_minor_register`: the node appears in `/dev/dri`.
    void register() throws KernelException {
        node = core.kernel().devfs().register(path(), this);
        // ORDERING: volatile store after the node is published; open() checks it again.
        visible = true;
    }

    /// `drm_minor_unregister`: the node disappears; open files are unaffected.
    void unregister() {
        if (!visible) {
            return;
        }
        visible = false;
        try {
            node.close();
        } catch (Exception e) {
            throw new IllegalStateException("removing " + path() + " failed", e);
        }
        node = null;
    }

    /// `drm_open` on this node: `drm_minor_acquire` (ENODEV when gone or unplugged), then a new
    /// [DrmFile] with the driver's per-file state.
    @Override
    public KFile open(Task task, int flags) throws KernelException {
        if (!visible) {
            throw new KernelException(Errno.ENODEV, path() + " is gone");
        }
        return dev.open(this, task, flags);
    }

    @Override
    public String toString() {
        return path();
    }
}
