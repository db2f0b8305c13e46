package dev.gpuemu.kernel.drivers.tyr.sched;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.drm.Idr;
import dev.gpuemu.kernel.uapi.Errno;
import java.util.ArrayList;
import java.util.List;

/// A file's group pool (`panthor_group_pool`): handles 1..[#MAX_GROUPS] to groups, and the
/// file's VMs ([VmLookup]) that `GROUP_CREATE` binds groups to. The pool remembers the
/// scheduler its groups were created on, so that `postclose` (which has no registration data)
/// can destroy them.
///
/// ## Thread safety
/// Thread-safe ([Idr] lock); group state is the scheduler's.
///
/// ## Lifecycle
/// created with the file → [#close] once at `postclose` (every group destroyed; also after
/// unplug, when the scheduler already freed them).
public final class FileGroups {
    /// `MAX_GROUPS_PER_POOL`.
    public static final int MAX_GROUPS = 128;

    private final Idr<TyrGroup> handles = new Idr<>();
    private final VmLookup vms;
    private volatile TyrScheduler sched;
    private boolean closed;

    public FileGroups(VmLookup vms) {
        this.vms = vms;
    }

    public VmLookup vms() {
        return vms;
    }

    /// Installs `g` under a new handle; when all [#MAX_GROUPS] are taken the group is destroyed
    /// again and the error is `EBUSY` (panthor's `xa_alloc` failure).
    int install(TyrScheduler sched, TyrGroup g) throws KernelException {
        this.sched = sched; // one scheduler per binding; a file never outlives its binding's ioctls
        int h = handles.alloc(g, MAX_GROUPS);
        if (h < 0) {
            sched.destroyGroup(g);
            throw new KernelException(Errno.EBUSY, "group pool full");
        }
        return h;
    }

    /// The group under `handle`, or null.
    public TyrGroup get(int handle) {
        return handles.find(handle);
    }

    /// Removes and returns the group under `handle`, or null.
    TyrGroup remove(int handle) {
        return handles.remove(handle);
    }

    public int size() {
        return handles.size();
    }

    /// `panthor_group_pool_destroy`: destroys every group left on the scheduler that created
    /// them (after unplug that only drops the bookkeeping: `stop` freed them).
    public void close() {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("group pool already closed");
            }
            closed = true;
        }
        List<TyrGroup> left = new ArrayList<>();
        handles.drain(left::add);
        TyrScheduler sched = this.sched;
        for (TyrGroup g : left) {
            if (!g.isDestroyed()) {
                sched.destroyGroup(g);
            }
        }
    }
}
