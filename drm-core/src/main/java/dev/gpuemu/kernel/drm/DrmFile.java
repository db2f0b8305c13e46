package dev.gpuemu.kernel.drm;

import dev.gpuemu.kernel.drm.gem.GemFile;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.drm.gem.GemObject;
import dev.gpuemu.kernel.drm.syncobj.Syncobj;
import dev.gpuemu.kernel.vfs.Task;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/// `struct drm_file`: one open of a DRM minor, with the driver's per-file state `F`.
///
/// The file holds a device reference from open until release, so the device (and its driver
/// data) outlives unplug while files are open. After unplug every ioctl and new mmap gets
/// `ENODEV`, but close and the driver's `postclose` still run.
///
/// ## Thread safety
/// Thread-safe: ioctls on one file may run concurrently.
///
/// ## Lifecycle
/// opened → released once, when the last fd and mapping of its open file are gone.
public final class DrmFile<F> {
    final DrmDeviceState<?, ?, F> state;
    private final Minor minor;
    private final F driverFile;
    private final boolean root;
    private final int pid;
    private volatile boolean authenticated;
    /// `was_master`: this file has been master at some point (set with master, never cleared).
    private volatile boolean wasMaster;
    private final AtomicBoolean released = new AtomicBoolean();
    /// GEM handles (`object_idr`); null without `DRIVER_GEM`.
    final GemFile gem;
    /// Handles exported or made by PRIME import, per object (`prime.handles`), validated on use.
    private final Map<GemObject, Integer> primeHandles = new HashMap<>();
    /// Syncobj handles (`syncobj_idr`).
    final Idr<Syncobj> syncobjs = new Idr<>();

    DrmFile(DrmDeviceState<?, ?, F> state, Minor minor, F driverFile, boolean root, int pid) {
        this.state = state;
        this.minor = minor;
        this.driverFile = driverFile;
        this.root = root;
        this.pid = pid;
        // drm_open_helper: a privileged opener is authenticated from the start.
        this.authenticated = root;
        this.gem = DriverFeatures.has(state.driver.features(), DriverFeatures.DRIVER_GEM) ? new GemFile(state.gem, this) : null;
    }

    /// The driver's per-file state (`DriverFile`).
    public F driverFile() {
        return driverFile;
    }

    /// `drm_is_render_client`.
    public boolean isRender() {
        return minor.type() == MinorType.RENDER;
    }

    /// `drm_is_current_master`.
    public boolean isMaster() {
        return state.isMaster(this);
    }

    public boolean isAuthenticated() {
        return authenticated;
    }

    /// Whether the opener had `CAP_SYS_ADMIN`.
    public boolean isRoot() {
        return root;
    }

    /// Pid of the opening process.
    public int pid() {
        return pid;
    }

    /// The node this file was opened on.
    public String node() {
        return minor.path();
    }

    /// The file's GEM handle table; `EOPNOTSUPP` semantics are the caller's when null.
    public GemFile gem() {
        return gem;
    }

    /// Number of syncobj handles, for tests and reports.
    public int syncobjCount() {
        return syncobjs.size();
    }

    /// `drm_syncobj_find`: the syncobj behind `handle` in this file, or null. For drivers whose
    /// ioctls take syncobj handles (the object is shared: it stays valid after the handle is
    /// destroyed).
    public Syncobj syncobjFind(int handle) {
        return syncobjs.find(handle);
    }

    /// The device in the `Ioctl` context.
    public IoctlDevice<?, ?> device() {
        return state.ioctl;
    }

    /// The handle of `obj` for a self-import: the one PRIME gave before if it still names `obj`,
    /// else a new one.
    int primeHandle(GemFile g, GemObject obj) throws KernelException {
        synchronized (primeHandles) {
            Integer h = primeHandles.get(obj);
            if (h != null) {
                GemObject cur = g.lookup(h);
                if (cur != null) {
                    cur.put();
                    if (cur == obj) {
                        return h;
                    }
                }
            }
            int nh = g.handleCreate(obj);
            primeHandles.put(obj, nh);
            return nh;
        }
    }

    /// `drm_prime_add_buf_handle` at export: a later self-import of the object's dma-buf in this
    /// file gives `handle` back (while it still names `obj`).
    void primeRemember(GemObject obj, int handle) {
        synchronized (primeHandles) {
            primeHandles.put(obj, handle);
        }
    }

    void becomeMaster() {
        authenticated = true;
        wasMaster = true;
    }

    /// `drm_master_check_perm`: a former master may set or drop master again from the process
    /// that opened it; anyone else needs `CAP_SYS_ADMIN`.
    boolean mayChangeMaster(Task task) {
        return wasMaster && task.pid() == pid || task.capable(Task.CAP_SYS_ADMIN);
    }

    /// `drm_file_free` / `drm_release`: drops the file's objects, runs `postclose`, drops master,
    /// then the device reference.
    void release() {
        if (!released.compareAndSet(false, true)) {
            throw new IllegalStateException("drm file " + minor.path() + " released twice");
        }
        try {
            syncobjs.drain(o -> { });
            synchronized (primeHandles) {
                primeHandles.clear();
            }
            state.releaseFile(this);
        } finally {
            state.dropMaster(this);
            state.put();
        }
    }

    @Override
    public String toString() {
        return "drm file " + minor.path() + " (pid " + pid + ")";
    }
}
