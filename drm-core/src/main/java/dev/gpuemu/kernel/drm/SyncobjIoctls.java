package dev.gpuemu.kernel.drm;

import static dev.gpuemu.kernel.drm.ioctl.IoctlFlags.DRM_RENDER_ALLOW;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.dmabuf.DmaFence;
import dev.gpuemu.kernel.drm.syncobj.Syncobj;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.uapi.drm.DrmIoctls;
import dev.gpuemu.kernel.uapi.drm.DrmSyncobj;
import dev.gpuemu.kernel.vfs.FileOps;
import dev.gpuemu.kernel.vfs.KFile;
import dev.gpuemu.kernel.vfs.Task;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/// The binary syncobj ioctls of `drm_syncobj.c`: CREATE, DESTROY, HANDLE_TO_FD, FD_TO_HANDLE
/// (including sync_file export/import), WAIT, RESET, SIGNAL. Each needs `DRIVER_SYNCOBJ`
/// (`EOPNOTSUPP` otherwise). Timeline syncobjs are not modelled: no driver sets
/// `DRIVER_SYNCOBJ_TIMELINE`, so their ioctls are absent from the table (`EINVAL`).
///
/// Wait timeouts are absolute `CLOCK_MONOTONIC` nanoseconds; the emulated monotonic clock is the
/// machine's simulated time.
///
/// ## Thread safety
/// Stateless.
final class SyncobjIoctls {
    /// Most handles one WAIT/RESET/SIGNAL takes (the kernel is bounded by memory; we bound it).
    static final int MAX_ARRAY = 1 << 16;

    /// Open files that share a syncobj (`drm_syncobj_file_fops`).
    static final FileOps SYNCOBJ_FOPS = file -> { };
    /// `sync_file` fds carrying one fence.
    static final FileOps SYNC_FILE_FOPS = file -> { };

    private SyncobjIoctls() {
    }

    static void register() {
        CoreIoctls.add("DRM_IOCTL_SYNCOBJ_CREATE", DrmIoctls.SYNCOBJ_CREATE, DRM_RENDER_ALLOW, SyncobjIoctls::create);
        CoreIoctls.add("DRM_IOCTL_SYNCOBJ_DESTROY", DrmIoctls.SYNCOBJ_DESTROY, DRM_RENDER_ALLOW, SyncobjIoctls::destroy);
        CoreIoctls.add("DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD", DrmIoctls.SYNCOBJ_HANDLE_TO_FD, DRM_RENDER_ALLOW, SyncobjIoctls::handleToFd);
        CoreIoctls.add("DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE", DrmIoctls.SYNCOBJ_FD_TO_HANDLE, DRM_RENDER_ALLOW, SyncobjIoctls::fdToHandle);
        CoreIoctls.add("DRM_IOCTL_SYNCOBJ_WAIT", DrmIoctls.SYNCOBJ_WAIT, DRM_RENDER_ALLOW, SyncobjIoctls::await);
        CoreIoctls.add("DRM_IOCTL_SYNCOBJ_RESET", DrmIoctls.SYNCOBJ_RESET, DRM_RENDER_ALLOW, SyncobjIoctls::reset);
        CoreIoctls.add("DRM_IOCTL_SYNCOBJ_SIGNAL", DrmIoctls.SYNCOBJ_SIGNAL, DRM_RENDER_ALLOW, SyncobjIoctls::signal);
    }

    private static void requireSyncobj(DrmFile<?> file) throws KernelException {
        if (!DriverFeatures.has(file.state.driver.features(), DriverFeatures.DRIVER_SYNCOBJ)) {
            throw KernelException.of(Errno.EOPNOTSUPP);
        }
    }

    /// `struct drm_syncobj_create { u32 handle; u32 flags; }`.
    private static int create(DrmFile<?> file, MemorySegment arg, Task task) throws KernelException {
        requireSyncobj(file);
        int flags = (int) DrmSyncobj.Create.FLAGS.get(arg);
        if ((flags & ~DrmSyncobj.DRM_SYNCOBJ_CREATE_SIGNALED) != 0) {
            throw KernelException.of(Errno.EINVAL);
        }
        Syncobj o = new Syncobj();
        if ((flags & DrmSyncobj.DRM_SYNCOBJ_CREATE_SIGNALED) != 0) {
            o.replaceFence(DmaFence.signaledStub(file.state.kernel.clock()));
        }
        DrmSyncobj.Create.HANDLE.set(arg, install(file, o));
        return 0;
    }

    private static int install(DrmFile<?> file, Syncobj o) throws KernelException {
        int h = file.syncobjs.alloc(o, Integer.MAX_VALUE);
        if (h < 0) {
            throw KernelException.of(Errno.ENOSPC);
        }
        return h;
    }

    /// `struct drm_syncobj_destroy { u32 handle; u32 pad; }`.
    private static int destroy(DrmFile<?> file, MemorySegment arg, Task task) throws KernelException {
        requireSyncobj(file);
        if ((int) DrmSyncobj.Destroy.PAD.get(arg) != 0) {
            throw KernelException.of(Errno.EINVAL);
        }
        if (file.syncobjs.remove((int) DrmSyncobj.Destroy.HANDLE.get(arg)) == null) {
            throw KernelException.of(Errno.EINVAL);
        }
        return 0;
    }

    /// `struct drm_syncobj_handle { u32 handle; u32 flags; s32 fd; u32 pad; }`: a syncobj fd, or
    /// with `EXPORT_SYNC_FILE` a sync_file of its current fence.
    private static int handleToFd(DrmFile<?> file, MemorySegment arg, Task task) throws KernelException {
        requireSyncobj(file);
        int flags = (int) DrmSyncobj.Handle.FLAGS.get(arg);
        if ((int) DrmSyncobj.Handle.PAD.get(arg) != 0
                || (flags & ~DrmSyncobj.DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE) != 0) {
            throw KernelException.of(Errno.EINVAL);
        }
        Syncobj o = file.syncobjs.find((int) DrmSyncobj.Handle.HANDLE.get(arg));
        if (o == null) {
            throw KernelException.of(Errno.EINVAL);
        }
        KFile f;
        if (flags != 0) {
            DmaFence fence = o.fence();
            if (fence == null) {
                throw KernelException.of(Errno.EINVAL);
            }
            f = new KFile("sync_file", SYNC_FILE_FOPS, fence, Fcntl.O_RDWR, null);
        } else {
            f = new KFile("anon_inode:syncobj", SYNCOBJ_FOPS, o, Fcntl.O_RDWR, null);
        }
        int fd = task.installFd(f, Fcntl.O_CLOEXEC);
        f.put(); // the fd holds its own reference now
        if (fd < 0) {
            throw KernelException.of(Errno.ofCode(fd));
        }
        DrmSyncobj.Handle.FD.set(arg, fd);
        return 0;
    }

    /// The reverse: a syncobj fd becomes a new handle; with `IMPORT_SYNC_FILE` a sync_file's fence
    /// replaces the fence of the existing `handle`.
    private static int fdToHandle(DrmFile<?> file, MemorySegment arg, Task task) throws KernelException {
        requireSyncobj(file);
        int flags = (int) DrmSyncobj.Handle.FLAGS.get(arg);
        if ((int) DrmSyncobj.Handle.PAD.get(arg) != 0
                || (flags & ~DrmSyncobj.DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE) != 0) {
            throw KernelException.of(Errno.EINVAL);
        }
        KFile f = task.fget((int) DrmSyncobj.Handle.FD.get(arg));
        if (f == null) {
            throw KernelException.of(Errno.EINVAL);
        }
        try {
            if (flags != 0) {
                if (f.ops() != SYNC_FILE_FOPS) {
                    throw KernelException.of(Errno.EINVAL);
                }
                Syncobj o = file.syncobjs.find((int) DrmSyncobj.Handle.HANDLE.get(arg));
                if (o == null) {
                    throw KernelException.of(Errno.ENOENT);
                }
                o.replaceFence(f.privateData(DmaFence.class));
                return 0;
            }
            if (f.ops() != SYNCOBJ_FOPS) {
                throw KernelException.of(Errno.EINVAL);
            }
            DrmSyncobj.Handle.HANDLE.set(arg, install(file, f.privateData(Syncobj.class)));
            return 0;
        } finally {
            f.put();
        }
    }

    /// Reads `count` handles from the user array at `ptr` (`drm_syncobj_array_find`): `EFAULT` on
    /// a fault, `ENOENT` for the first unknown handle.
    private static Syncobj[] findArray(DrmFile<?> file, Task task, long ptr, int count) throws KernelException {
        if (count <= 0 || count > MAX_ARRAY) {
            throw KernelException.of(count == 0 ? Errno.EINVAL : Errno.ENOMEM);
        }
        MemorySegment handles = Arena.ofAuto().allocate(4L * count, 4);
        if (!task.copyFromUser(handles, 0, ptr, 4L * count)) {
            throw KernelException.of(Errno.EFAULT);
        }
        Syncobj[] out = new Syncobj[count];
        for (int i = 0; i < count; i++) {
            out[i] = file.syncobjs.find(handles.getAtIndex(JAVA_INT, i));
            if (out[i] == null) {
                throw KernelException.of(Errno.ENOENT);
            }
        }
        return out;
    }

    /// `struct drm_syncobj_wait { u64 handles; s64 timeout_nsec; u32 count_handles; u32 flags;
    /// u32 first_signaled; u32 pad; u64 deadline_nsec; }`: waits for all or any; `ETIME` when the
    /// absolute timeout passes; `EINVAL` for an empty syncobj unless `WAIT_FOR_SUBMIT`.
    private static int await(DrmFile<?> file, MemorySegment arg, Task task) throws KernelException {
        requireSyncobj(file);
        int flags = (int) DrmSyncobj.Wait.FLAGS.get(arg);
        int possible = DrmSyncobj.DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL | DrmSyncobj.DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT
                | DrmSyncobj.DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE | DrmSyncobj.DRM_SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE;
        if ((flags & ~possible) != 0) {
            throw KernelException.of(Errno.EINVAL);
        }
        int count = (int) DrmSyncobj.Wait.COUNT_HANDLES.get(arg);
        Syncobj[] objs = findArray(file, task, (long) DrmSyncobj.Wait.HANDLES.get(arg), count);
        boolean forSubmit = (flags & DrmSyncobj.DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT) != 0;
        if (!forSubmit) {
            for (Syncobj o : objs) {
                if (o.fence() == null) {
                    throw KernelException.of(Errno.EINVAL);
                }
            }
        }
        boolean all = (flags & DrmSyncobj.DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL) != 0;
        boolean available = (flags & DrmSyncobj.DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE) != 0;
        var clock = file.state.kernel.clock();
        long deadline = (long) DrmSyncobj.Wait.TIMEOUT_NSEC.get(arg);
        long timeout = Math.max(0, deadline - clock.nowNs());
        int[] first = {-1};
        boolean ok = clock.await(() -> {
            int done = 0;
            for (int i = 0; i < objs.length; i++) {
                DmaFence f = objs[i].fence();
                if (f != null && (available || f.isSignaled())) {
                    if (first[0] < 0) {
                        first[0] = i;
                    }
                    done++;
                }
            }
            return all ? done == objs.length : done > 0;
        }, timeout);
        if (!ok) {
            throw KernelException.of(Errno.ETIME);
        }
        DrmSyncobj.Wait.FIRST_SIGNALED.set(arg, Math.max(first[0], 0));
        return 0;
    }

    /// `struct drm_syncobj_array { u64 handles; u32 count_handles; u32 pad; }`: drops every fence.
    private static int reset(DrmFile<?> file, MemorySegment arg, Task task) throws KernelException {
        requireSyncobj(file);
        if ((int) DrmSyncobj.Array.PAD.get(arg) != 0) {
            throw KernelException.of(Errno.EINVAL);
        }
        for (Syncobj o : findArray(file, task, (long) DrmSyncobj.Array.HANDLES.get(arg), (int) DrmSyncobj.Array.COUNT_HANDLES.get(arg))) {
            o.replaceFence(null);
        }
        return 0;
    }

    /// Same struct: gives each syncobj a signaled fence.
    private static int signal(DrmFile<?> file, MemorySegment arg, Task task) throws KernelException {
        requireSyncobj(file);
        if ((int) DrmSyncobj.Array.PAD.get(arg) != 0) {
            throw KernelException.of(Errno.EINVAL);
        }
        for (Syncobj o : findArray(file, task, (long) DrmSyncobj.Array.HANDLES.get(arg), (int) DrmSyncobj.Array.COUNT_HANDLES.get(arg))) {
            o.replaceFence(DmaFence.signaledStub(file.state.kernel.clock()));
        }
        return 0;
    }
}
