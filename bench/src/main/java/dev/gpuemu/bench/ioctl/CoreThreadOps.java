package dev.gpuemu.bench.ioctl;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import dev.gpuemu.kernel.uapi.Syscalls;
import dev.gpuemu.kernel.uapi.UserMemory;
import dev.gpuemu.kernel.uapi.drm.DrmCap;
import dev.gpuemu.kernel.uapi.drm.DrmIoctls;
import dev.gpuemu.kernel.uapi.drm.DrmSyncobj;
import dev.gpuemu.kernel.uapi.drm.DrmVersion;

/// The ops every DRM node answers the same way (core ioctls): `version`, `get_cap` and the
/// `syncobj` cycle. Driver classes add the rest through [#driverOp].
///
/// ## Thread safety
/// As [ThreadOps]: one thread at a time.
///
/// ## Lifecycle
/// Constructed by a [DriverOps] → ops → [#close] once (subclasses free their objects in
/// [#closeDriver] first).
abstract class CoreThreadOps implements ThreadOps {
    static final long VERSION_LENGTHS = DrmVersion.LAYOUT.byteOffset(groupElement("name_len"));
    static final long VERSION_LENGTHS_SIZE = DrmVersion.LAYOUT.byteSize() - VERSION_LENGTHS;
    static final long SYNCOBJ_CREATE_HANDLE = DrmSyncobj.Create.LAYOUT.byteOffset(groupElement("handle"));
    static final long SYNCOBJ_DESTROY_HANDLE = DrmSyncobj.Destroy.LAYOUT.byteOffset(groupElement("handle"));
    /// A wait deadline that never passes (absolute `CLOCK_MONOTONIC` ns).
    static final long NO_DEADLINE = Long.MAX_VALUE;

    final BenchFile file;
    final Syscalls proc;
    final UserMemory mem;
    final int fd;
    final ArgArea args;
    private final long version;
    private final long getCap;
    private final long syncCreate;
    private final long syncDestroy;
    /// One `u32` handle: the array of SIGNAL and WAIT.
    private final long syncHandle;
    private final long syncSignal;
    private final long syncWait;
    private boolean closed;

    CoreThreadOps(BenchFile file) {
        this.file = file;
        this.proc = file.proc();
        this.mem = proc.memory();
        this.fd = file.fd();
        this.args = ArgArea.map(proc);
        version = args.put(DrmVersion.LAYOUT, s -> { });
        getCap = args.put(DrmCap.GetCap.LAYOUT, s -> DrmCap.GetCap.CAPABILITY.set(s, DrmCap.DRM_CAP_PRIME));
        syncCreate = args.put(DrmSyncobj.Create.LAYOUT, s -> { });
        syncDestroy = args.put(DrmSyncobj.Destroy.LAYOUT, s -> { });
        syncHandle = args.slot(8);
        syncSignal = args.put(DrmSyncobj.Array.LAYOUT, s -> {
            DrmSyncobj.Array.HANDLES.set(s, syncHandle);
            DrmSyncobj.Array.COUNT_HANDLES.set(s, 1);
        });
        syncWait = args.put(DrmSyncobj.Wait.LAYOUT, s -> {
            DrmSyncobj.Wait.HANDLES.set(s, syncHandle);
            DrmSyncobj.Wait.COUNT_HANDLES.set(s, 1);
            DrmSyncobj.Wait.TIMEOUT_NSEC.set(s, NO_DEADLINE);
        });
    }

    @Override
    public final BenchOp op(IoctlKind kind) {
        return switch (kind) {
            case VERSION -> this::version;
            case GET_CAP -> this::getCap;
            case SYNCOBJ -> this::syncobj;
            default -> driverOp(kind);
        };
    }

    /// The driver's op of `kind` (not a core kind).
    abstract BenchOp driverOp(IoctlKind kind);

    /// `DRM_IOCTL_VERSION`, null form. The kernel writes the full string lengths back, so they
    /// are zeroed first (one 48-byte user store).
    int version() {
        mem.fill(version + VERSION_LENGTHS, VERSION_LENGTHS_SIZE, (byte) 0);
        return proc.ioctl(fd, DrmIoctls.VERSION, version);
    }

    /// `DRM_IOCTL_GET_CAP(DRM_CAP_PRIME)`.
    int getCap() {
        return proc.ioctl(fd, DrmIoctls.GET_CAP, getCap);
    }

    /// CREATE (unsignalled), SIGNAL, WAIT (returns at once: signalled), DESTROY.
    int syncobj() {
        int r = proc.ioctl(fd, DrmIoctls.SYNCOBJ_CREATE, syncCreate);
        if (r != 0) {
            return r;
        }
        int handle = mem.getInt(syncCreate + SYNCOBJ_CREATE_HANDLE);
        mem.putInt(syncHandle, handle);
        r = proc.ioctl(fd, DrmIoctls.SYNCOBJ_SIGNAL, syncSignal);
        if (r == 0) {
            r = proc.ioctl(fd, DrmIoctls.SYNCOBJ_WAIT, syncWait);
        }
        mem.putInt(syncDestroy + SYNCOBJ_DESTROY_HANDLE, handle);
        int d = proc.ioctl(fd, DrmIoctls.SYNCOBJ_DESTROY, syncDestroy);
        return r != 0 ? r : d;
    }

    /// Frees the driver objects of the setup.
    void closeDriver() {
    }

    @Override
    public final void close() {
        if (closed) {
            throw new IllegalStateException("thread ops already closed");
        }
        closed = true;
        closeDriver();
        args.close();
    }
}
