package dev.gpuemu.user.drm;

import dev.gpuemu.kernel.uapi.UserMemory;
import dev.gpuemu.kernel.uapi.drm.DrmIoctls;
import dev.gpuemu.kernel.uapi.drm.DrmSyncobj;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/// The syncobj ioctls behind [DrmClient]'s `syncobj*` methods (`drmSyncobj*` of libdrm): the
/// structs of [DrmSyncobj], handle arrays in the client's user data area.
///
/// ## Thread safety
/// As its client: one thread at a time.
final class SyncobjCalls {
    private final DrmClient client;

    SyncobjCalls(DrmClient client) {
        this.client = client;
    }

    int create(int flags) {
        MemorySegment a = client.begin();
        DrmSyncobj.Create.FLAGS.set(a, flags);
        client.call(DrmIoctls.SYNCOBJ_CREATE);
        return (int) DrmSyncobj.Create.HANDLE.get(a);
    }

    void destroy(int handle) {
        DrmSyncobj.Destroy.HANDLE.set(client.begin(), handle);
        client.call(DrmIoctls.SYNCOBJ_DESTROY);
    }

    int handleToFd(int handle, int flags) {
        MemorySegment a = client.begin();
        DrmSyncobj.Handle.HANDLE.set(a, handle);
        DrmSyncobj.Handle.FLAGS.set(a, flags);
        client.call(DrmIoctls.SYNCOBJ_HANDLE_TO_FD);
        return (int) DrmSyncobj.Handle.FD.get(a);
    }

    int fdToHandle(int fd, int flags, int handle) {
        MemorySegment a = client.begin();
        DrmSyncobj.Handle.HANDLE.set(a, handle);
        DrmSyncobj.Handle.FLAGS.set(a, flags);
        DrmSyncobj.Handle.FD.set(a, fd);
        client.call(DrmIoctls.SYNCOBJ_FD_TO_HANDLE);
        return (int) DrmSyncobj.Handle.HANDLE.get(a);
    }

    int await(int[] handles, long timeoutNs, int flags) {
        MemorySegment a = client.begin();
        DrmSyncobj.Wait.HANDLES.set(a, handles(handles));
        DrmSyncobj.Wait.COUNT_HANDLES.set(a, handles.length);
        DrmSyncobj.Wait.TIMEOUT_NSEC.set(a, timeoutNs);
        DrmSyncobj.Wait.FLAGS.set(a, flags);
        client.call(DrmIoctls.SYNCOBJ_WAIT);
        return (int) DrmSyncobj.Wait.FIRST_SIGNALED.get(a);
    }

    /// RESET or SIGNAL: both take a `drm_syncobj_array`.
    void array(int cmd, int[] handles) {
        MemorySegment a = client.begin();
        DrmSyncobj.Array.HANDLES.set(a, handles(handles));
        DrmSyncobj.Array.COUNT_HANDLES.set(a, handles.length);
        client.call(cmd);
    }

    /// Writes `handles` to the data area; returns its user address.
    private long handles(int[] handles) {
        Objects.requireNonNull(handles, "handles");
        long va = client.data(4L * Math.max(1, handles.length));
        UserMemory mem = client.memory();
        for (int i = 0; i < handles.length; i++) {
            mem.putInt(va + 4L * i, handles[i]);
        }
        return va;
    }
}
