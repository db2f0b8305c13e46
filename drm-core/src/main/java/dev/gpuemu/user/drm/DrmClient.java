package dev.gpuemu.user.drm;

import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.uapi.Syscalls;
import dev.gpuemu.kernel.uapi.UserMemory;
import dev.gpuemu.kernel.uapi.drm.DrmCap;
import dev.gpuemu.kernel.uapi.drm.DrmDumb;
import dev.gpuemu.kernel.uapi.drm.DrmGem;
import dev.gpuemu.kernel.uapi.drm.DrmIoctls;
import dev.gpuemu.kernel.uapi.drm.DrmPrime;
import dev.gpuemu.kernel.uapi.drm.DrmSyncobj;
import dev.gpuemu.kernel.uapi.drm.DrmVersion;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/// A libdrm-like client of one open DRM fd (`/dev/dri/card*` or `renderD*`) in an emulated
/// process: the core, GEM, dumb-buffer, PRIME and syncobj ioctls, and `mmap`; vgem's fences are
/// in [VgemClient]. Every call builds its uAPI struct with the
/// `dev.gpuemu.kernel.uapi.drm` `VarHandle`s, passes it through the process's memory and issues
/// the ioctl with [Syscalls]; a failure throws [DrmErrnoException] naming the ioctl and errno.
/// [#ioctl(int, MemorySegment)] is the raw path that returns `-errno` instead.
///
/// ## Invariants
/// `fd()` is the fd this client opened (or was given) and closes exactly once.
///
/// ## Thread safety
/// Not thread-safe: one thread at a time (the argument scratch is shared by every call). For
/// concurrent callers on the same open file (same handles), give each thread its own [#dup()].
///
/// ## Lifecycle
/// [#open] / [#wrap] → calls → [#close()] once (scratch unmapped, fd closed); calls afterwards
/// and a second close throw `IllegalStateException`.
public final class DrmClient implements AutoCloseable {
    /// What `DRM_IOCTL_VERSION` reports.
    public record Version(int major, int minor, int patch, String name, String date, String desc) {
    }

    /// A dumb buffer from `DRM_IOCTL_MODE_CREATE_DUMB`.
    public record Dumb(int handle, int pitch, long size) {
    }

    private final Syscalls sys;
    private final int fd;
    private final UserScratch scratch;
    private final SyncobjCalls syncobjs;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DrmClient(Syscalls sys, int fd) {
        this.sys = sys;
        this.fd = fd;
        this.scratch = UserScratch.map(sys);
        this.syncobjs = new SyncobjCalls(this);
    }

    /// `open(path, O_RDWR | O_CLOEXEC)`.
    ///
    /// @throws DrmErrnoException `ENOENT` (no such node, e.g. after unplug), `ENODEV`
    public static DrmClient open(Syscalls sys, String path) {
        Objects.requireNonNull(sys, "sys");
        int fd = sys.open(Objects.requireNonNull(path, "path"), Fcntl.O_RDWR | Fcntl.O_CLOEXEC);
        if (fd < 0) {
            throw new DrmErrnoException("open " + path, fd);
        }
        return wrap(sys, fd);
    }

    /// A client of an fd the caller opened; the client owns it from here on and closes it.
    public static DrmClient wrap(Syscalls sys, int fd) {
        try {
            return new DrmClient(Objects.requireNonNull(sys, "sys"), fd);
        } catch (DrmErrnoException e) {
            sys.close(fd);
            throw e;
        }
    }

    /// A second client on `dup(fd())`: the same open file (same handles), its own scratch.
    public DrmClient dup() {
        check();
        int nfd = sys.dup(fd);
        if (nfd < 0) {
            throw new DrmErrnoException("dup", nfd);
        }
        return wrap(sys, nfd);
    }

    public int fd() {
        return fd;
    }

    /// The process this client runs in.
    public Syscalls syscalls() {
        return sys;
    }

    /// `DRM_IOCTL_VERSION` twice: first with zero lengths to learn them, then with buffers.
    public Version version() {
        MemorySegment a = scratch.begin();
        call(DrmIoctls.VERSION);
        long nameLen = (long) DrmVersion.NAME_LEN.get(a);
        long dateLen = (long) DrmVersion.DATE_LEN.get(a);
        long descLen = (long) DrmVersion.DESC_LEN.get(a);
        long buf = scratch.data(nameLen + dateLen + descLen);
        DrmVersion.NAME.set(a, buf);
        DrmVersion.DATE.set(a, buf + nameLen);
        DrmVersion.DESC.set(a, buf + nameLen + dateLen);
        call(DrmIoctls.VERSION);
        return new Version((int) DrmVersion.VERSION_MAJOR.get(a), (int) DrmVersion.VERSION_MINOR.get(a),
                (int) DrmVersion.VERSION_PATCHLEVEL.get(a),
                string(buf, Math.min(nameLen, (long) DrmVersion.NAME_LEN.get(a))),
                string(buf + nameLen, Math.min(dateLen, (long) DrmVersion.DATE_LEN.get(a))),
                string(buf + nameLen + dateLen, Math.min(descLen, (long) DrmVersion.DESC_LEN.get(a))));
    }

    private String string(long va, long len) {
        byte[] b = new byte[Math.toIntExact(len)];
        scratch.memory().read(va, MemorySegment.ofArray(b), 0, len);
        return new String(b, StandardCharsets.UTF_8);
    }

    /// `DRM_IOCTL_GET_CAP`: the value of `DRM_CAP_*` `cap` (`EOPNOTSUPP` for KMS-only caps).
    public long getCap(long cap) {
        MemorySegment a = scratch.begin();
        DrmCap.GetCap.CAPABILITY.set(a, cap);
        call(DrmIoctls.GET_CAP);
        return (long) DrmCap.GetCap.VALUE.get(a);
    }

    /// `DRM_IOCTL_SET_CLIENT_CAP` (primary nodes only: `EACCES` on a render node).
    public void setClientCap(long cap, long value) {
        MemorySegment a = scratch.begin();
        DrmCap.SetClientCap.CAPABILITY.set(a, cap);
        DrmCap.SetClientCap.VALUE.set(a, value);
        call(DrmIoctls.SET_CLIENT_CAP);
    }

    /// `DRM_IOCTL_GEM_CLOSE` (`EINVAL` for a handle that names nothing).
    public void gemClose(int handle) {
        DrmGem.Close.HANDLE.set(scratch.begin(), handle);
        call(DrmIoctls.GEM_CLOSE);
    }

    /// `DRM_IOCTL_MODE_CREATE_DUMB` with flags 0 (primary nodes only).
    public Dumb createDumb(int width, int height, int bpp) {
        MemorySegment a = scratch.begin();
        DrmDumb.Create.WIDTH.set(a, width);
        DrmDumb.Create.HEIGHT.set(a, height);
        DrmDumb.Create.BPP.set(a, bpp);
        call(DrmIoctls.MODE_CREATE_DUMB);
        return new Dumb((int) DrmDumb.Create.HANDLE.get(a), (int) DrmDumb.Create.PITCH.get(a),
                (long) DrmDumb.Create.SIZE.get(a));
    }

    /// `DRM_IOCTL_MODE_MAP_DUMB`: the fake offset to pass to [#mmap].
    public long mapDumb(int handle) {
        MemorySegment a = scratch.begin();
        DrmDumb.Map.HANDLE.set(a, handle);
        call(DrmIoctls.MODE_MAP_DUMB);
        return (long) DrmDumb.Map.OFFSET.get(a);
    }

    /// `DRM_IOCTL_MODE_DESTROY_DUMB`.
    public void destroyDumb(int handle) {
        DrmDumb.Destroy.HANDLE.set(scratch.begin(), handle);
        call(DrmIoctls.MODE_DESTROY_DUMB);
    }

    /// `DRM_IOCTL_PRIME_HANDLE_TO_FD`: a dma-buf fd; `flags` of `DRM_CLOEXEC | DRM_RDWR`.
    public int primeHandleToFd(int handle, int flags) {
        MemorySegment a = scratch.begin();
        DrmPrime.HANDLE.set(a, handle);
        DrmPrime.FLAGS.set(a, flags);
        call(DrmIoctls.PRIME_HANDLE_TO_FD);
        return (int) DrmPrime.FD.get(a);
    }

    /// `DRM_IOCTL_PRIME_FD_TO_HANDLE`: the handle of the dma-buf's object in this file.
    public int primeFdToHandle(int dmabufFd) {
        MemorySegment a = scratch.begin();
        DrmPrime.FD.set(a, dmabufFd);
        call(DrmIoctls.PRIME_FD_TO_HANDLE);
        return (int) DrmPrime.HANDLE.get(a);
    }

    /// `DRM_IOCTL_SYNCOBJ_CREATE`; `flags` 0 or `DRM_SYNCOBJ_CREATE_SIGNALED`.
    public int syncobjCreate(int flags) {
        return syncobjs.create(flags);
    }

    /// `DRM_IOCTL_SYNCOBJ_DESTROY` (`EINVAL` for an unknown handle).
    public void syncobjDestroy(int handle) {
        syncobjs.destroy(handle);
    }

    /// `DRM_IOCTL_SYNCOBJ_WAIT` until the **absolute** `CLOCK_MONOTONIC` time `timeoutNs`
    /// (`ETIME` when it passes; `EINVAL` for a syncobj without fence unless `WAIT_FOR_SUBMIT`).
    ///
    /// @param flags `DRM_SYNCOBJ_WAIT_FLAGS_*`; without `WAIT_ALL` the first signaled one ends it
    /// @return `first_signaled`: the index of a signaled handle
    public int syncobjWait(int[] handles, long timeoutNs, int flags) {
        return syncobjs.await(handles, timeoutNs, flags);
    }

    /// `DRM_IOCTL_SYNCOBJ_RESET`: drops each syncobj's fence.
    public void syncobjReset(int... handles) {
        syncobjs.array(DrmIoctls.SYNCOBJ_RESET, handles);
    }

    /// `DRM_IOCTL_SYNCOBJ_SIGNAL`: gives each syncobj a signaled fence.
    public void syncobjSignal(int... handles) {
        syncobjs.array(DrmIoctls.SYNCOBJ_SIGNAL, handles);
    }

    /// `DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD`: a syncobj fd (`flags` 0) or, with
    /// `DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE`, a sync_file of its current fence.
    public int syncobjHandleToFd(int handle, int flags) {
        return syncobjs.handleToFd(handle, flags);
    }

    /// `DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE` of a syncobj fd: a new handle to the same syncobj.
    public int syncobjFdToHandle(int syncobjFd) {
        return syncobjs.fdToHandle(syncobjFd, 0, 0);
    }

    /// `DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE` with `DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE`:
    /// the sync_file's fence replaces the fence of the existing `handle`.
    public void syncobjImportSyncFile(int handle, int syncFileFd) {
        syncobjs.fdToHandle(syncFileFd, DrmSyncobj.DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE,
                handle);
    }

    /// `mmap(NULL, length, prot, MAP_SHARED, fd(), offset)`: maps a GEM object at its fake offset.
    public UserMapping mmap(long offset, long length, int prot) {
        check();
        return UserMapping.map(sys, fd, offset, length, prot);
    }

    /// The raw path: issues `cmd` once with `arg` (copied to user memory, zero-extended to
    /// `_IOC_SIZE(cmd)`, copied back) and returns the kernel's answer, 0 or `-errno`.
    public int ioctl(int cmd, MemorySegment arg) {
        check();
        return scratch.ioctlRaw(fd, cmd, Objects.requireNonNull(arg, "arg"));
    }

    /// The zeroed staging struct of the next [#call] (package use: [SyncobjCalls], [VgemClient]).
    MemorySegment begin() {
        check();
        return scratch.begin();
    }

    /// A data area of `bytes` in user memory for arrays the next [#call] points to.
    long data(long bytes) {
        return scratch.data(bytes);
    }

    UserMemory memory() {
        return scratch.memory();
    }

    /// Issues `cmd` with the staged struct; throws on failure.
    void call(int cmd) {
        check();
        int r = scratch.ioctl(fd, cmd);
        if (r < 0) {
            throw DrmErrnoException.ioctl(cmd, r);
        }
    }

    private void check() {
        if (closed.get()) {
            throw new IllegalStateException("DRM client of fd " + fd + " is closed");
        }
    }

    /// Unmaps the scratch and closes the fd.
    ///
    /// @throws IllegalStateException on a second close
    /// @throws DrmErrnoException when close(2) fails, e.g. `EBADF` because the program closed
    ///         the fd behind the client's back (the client is closed anyway)
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            throw new IllegalStateException("DRM client of fd " + fd + " already closed");
        }
        scratch.close();
        int r = sys.close(fd);
        if (r != 0) {
            throw new DrmErrnoException("close", r);
        }
    }

    @Override
    public String toString() {
        return "drm client fd " + fd + (closed.get() ? " (closed)" : "");
    }
}
