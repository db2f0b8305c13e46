package dev.gpuemu.kernel.drivers.tyr.sched;

import dev.gpuemu.kernel.uapi.panthor.PanthorDrm;
import java.util.List;

/// A scheduling group (`panthor_group`): queues sharing a VM and a CSG slot while bound, with
/// panthor's state (`fatal_queues`, `timedout`, `destroyed`).
///
/// ## Invariants
/// A group is bound to at most one CSG slot; a group that cannot run ([#canRun] false) is never
/// bound again and accepts no job.
///
/// ## Thread safety
/// `csg` and `timedout` change under the scheduler's lock, `terminated` and `fatalQueues` under
/// [JobFences]' lock (a poll or interrupt may fail the group); accessors read volatile snapshots.
///
/// ## Lifecycle
/// created by [TyrScheduler#createGroup] → destroyed once by [TyrScheduler#destroyGroup] or the
/// scheduler's stop.
public final class TyrGroup {
    final int id;
    final GroupVm vm;
    final int priority;
    final int maxCompute;
    final int maxFragment;
    final int maxTiler;
    final long computeMask;
    final long fragmentMask;
    final long tilerMask;
    final List<TyrQueue> queues;
    final KernelBo syncobjs;
    volatile int csg = -1;
    volatile int fatalQueues;
    volatile boolean timedout;
    volatile boolean destroyed;
    volatile boolean terminated;

    TyrGroup(int id, GroupVm vm, int priority, int[] maxCores, long[] masks, List<TyrQueue> queues,
             KernelBo syncobjs) {
        this.id = id;
        this.vm = vm;
        this.priority = priority;
        this.maxCompute = maxCores[0];
        this.maxFragment = maxCores[1];
        this.maxTiler = maxCores[2];
        this.computeMask = masks[0];
        this.fragmentMask = masks[1];
        this.tilerMask = masks[2];
        this.queues = List.copyOf(queues);
        this.syncobjs = syncobjs;
    }

    public int id() {
        return id;
    }

    public List<TyrQueue> queues() {
        return queues;
    }

    public GroupVm vm() {
        return vm;
    }

    /// The CSG slot the group is bound to, or -1.
    public int csgSlot() {
        return csg;
    }

    /// Bit `i` set when queue `i` hit a fatal fault.
    public int fatalQueues() {
        return fatalQueues;
    }

    public boolean isDestroyed() {
        return destroyed;
    }

    /// `group_can_run`.
    public boolean canRun() {
        return !terminated && !destroyed && fatalQueues == 0 && !timedout;
    }

    /// `DRM_PANTHOR_GROUP_STATE_*` bits.
    public int stateFlags() {
        int s = 0;
        if (timedout) {
            s |= PanthorDrm.DRM_PANTHOR_GROUP_STATE_TIMEDOUT;
        }
        if (fatalQueues != 0) {
            s |= PanthorDrm.DRM_PANTHOR_GROUP_STATE_FATAL_FAULT;
        }
        return s;
    }

    /// Jobs submitted and not yet signalled.
    public int jobsInFlight() {
        int n = 0;
        for (TyrQueue q : queues) {
            n += q.inFlight.size();
        }
        return n;
    }

    @Override
    public String toString() {
        return "group " + id;
    }
}
