package dev.gpuemu.kernel.drivers.tyr.sched;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.dmabuf.DmaFence;
import dev.gpuemu.kernel.drm.DrmFile;
import dev.gpuemu.kernel.drm.RegisteredDevice;
import dev.gpuemu.kernel.drm.RegistrationData;
import dev.gpuemu.kernel.drm.syncobj.Syncobj;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.panthor.PanthorDrm;
import dev.gpuemu.kernel.uapi.panthor.PanthorDrm.SyncOp;
import dev.gpuemu.kernel.uapi.panthor.PanthorGroup;
import dev.gpuemu.kernel.vfs.Task;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/// The panthor group ioctls (panthor_drm.c + panthor_sched.c checks), as static handlers with the
/// `IoctlHandler` shape. They are generic in the registration data (`R extends
/// SchedRegistration`) and the driver file (`F extends GroupFile`), so `TyrDrm`'s table takes
/// `GroupIoctls::groupCreate` once `TyrRegistration` and `TyrFile` implement those interfaces.
///
/// Errnos as panthor:
/// - `GROUP_CREATE`: queue count 0 or more than the CSG's streams (panthor: `MAX_CS_PER_CSG`),
///   `pad`, priority above `REALTIME`, core masks outside the present cores, fewer mask bits than
///   `max_*_cores`, unknown `vm_id`, queue `pad`, queue priority > 15, ring size not a power of
///   two in 4..64 KiB: `EINVAL`; `HIGH`/`REALTIME` without `CAP_SYS_NICE` or DRM master:
///   `EACCES` (`group_priority_permit`); bad `obj_array` stride `EINVAL` / `E2BIG`, faults `EFAULT`.
/// - `GROUP_DESTROY`, `GROUP_GET_STATE`: `pad` or unknown handle: `EINVAL`.
/// - `GROUP_SUBMIT`: `pad`, unknown group, group that cannot run, queue index, `stream_addr`
///   not 64-byte or `stream_size` not 8-byte aligned, exactly one of them zero, `latest_flush`
///   bits 24..30: `EINVAL`; sync op flags beyond type|SIGNAL, unknown type, a binary syncobj op
///   with a timeline value: `EINVAL`; a timeline point (not modelled): `EOPNOTSUPP`; wait on an
///   unknown syncobj `ENOENT`, on one without fence `EINVAL`; signal on an unknown syncobj
///   `EINVAL`. Every job is checked before any is queued.
///
/// ## Simplifications
/// Wait ops block the submitting thread (simulated time, at most [#WAIT_NS], then `ETIMEDOUT`)
/// instead of becoming scheduler dependencies; an error of a waited fence is not propagated.
///
/// ## Thread safety
/// Stateless.
public final class GroupIoctls {
    /// `CAP_SYS_NICE` (linux/capability.h).
    public static final int CAP_SYS_NICE = 23;
    /// Longest a submit waits for its in-fences (simulated).
    public static final long WAIT_NS = 10_000_000_000L;
    static final int SYNC_OP_FLAGS_MASK = PanthorDrm.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK
            | PanthorDrm.DRM_PANTHOR_SYNC_OP_SIGNAL;
    static final int CSF_MAX_QUEUE_PRIO = 15;

    private GroupIoctls() {
    }

    /// `DRM_IOCTL_PANTHOR_GROUP_CREATE`.
    public static <D, R extends RegistrationData & SchedRegistration, F extends GroupFile> int groupCreate(
            RegisteredDevice<D, R> dev, R data, MemorySegment arg, DrmFile<F> file, Task task) throws KernelException {
        return create(data, arg, file.driverFile().groups(), task, file.isMaster());
    }

    static int create(SchedRegistration data, MemorySegment arg, FileGroups pool, Task task, boolean master)
            throws KernelException {
        int count = (int) PanthorGroup.Create.QUEUES_COUNT.get(arg);
        TyrScheduler sched = data.scheduler();
        if (count == 0 || Integer.compareUnsigned(count, sched.csPerCsg()) > 0) {
            throw new KernelException(Errno.EINVAL, "queue count " + Integer.toUnsignedString(count));
        }
        int priority = Byte.toUnsignedInt((byte) PanthorGroup.Create.PRIORITY.get(arg));
        if (priority > PanthorDrm.PANTHOR_GROUP_PRIORITY_REALTIME) {
            throw new KernelException(Errno.EINVAL, "group priority " + priority);
        }
        if (priority > PanthorDrm.PANTHOR_GROUP_PRIORITY_MEDIUM && !task.capable(CAP_SYS_NICE) && !master) {
            throw new KernelException(Errno.EACCES, "group priority " + priority + " needs CAP_SYS_NICE");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment qs = UserArrays.copy(task, arena, PanthorGroup.QueueCreate.LAYOUT,
                    (int) PanthorGroup.Create.QUEUES_STRIDE.get(arg), count,
                    (long) PanthorGroup.Create.QUEUES_ARRAY.get(arg));
            if ((int) PanthorGroup.Create.PAD.get(arg) != 0) {
                throw new KernelException(Errno.EINVAL, "group_create pad");
            }
            int[] max = {Byte.toUnsignedInt((byte) PanthorGroup.Create.MAX_COMPUTE_CORES.get(arg)),
                Byte.toUnsignedInt((byte) PanthorGroup.Create.MAX_FRAGMENT_CORES.get(arg)),
                Byte.toUnsignedInt((byte) PanthorGroup.Create.MAX_TILER_CORES.get(arg))};
            long[] masks = {(long) PanthorGroup.Create.COMPUTE_CORE_MASK.get(arg),
                (long) PanthorGroup.Create.FRAGMENT_CORE_MASK.get(arg),
                (long) PanthorGroup.Create.TILER_CORE_MASK.get(arg)};
            long shaders = data.gpuInfo().shaderPresent();
            if ((masks[0] & ~shaders) != 0 || (masks[1] & ~shaders) != 0 || (masks[2] & ~data.gpuInfo().tilerPresent()) != 0) {
                throw new KernelException(Errno.EINVAL, "core mask outside the present cores");
            }
            for (int k = 0; k < 3; k++) {
                if (Long.bitCount(masks[k]) < max[k]) {
                    throw new KernelException(Errno.EINVAL, "fewer cores in the mask than max_*_cores");
                }
            }
            GroupVm vm = pool.vms().find((int) PanthorGroup.Create.VM_ID.get(arg));
            if (vm == null) {
                throw new KernelException(Errno.EINVAL, "unknown vm_id");
            }
            List<TyrScheduler.QueueArgs> queues = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                MemorySegment q = qs.asSlice(i * PanthorGroup.QueueCreate.LAYOUT.byteSize(),
                        PanthorGroup.QueueCreate.LAYOUT.byteSize());
                for (int p = 0; p < 3; p++) {
                    if ((byte) PanthorGroup.QueueCreate.PAD.get(q, (long) p) != 0) {
                        throw new KernelException(Errno.EINVAL, "queue_create pad");
                    }
                }
                int size = (int) PanthorGroup.QueueCreate.RINGBUF_SIZE.get(q);
                int qprio = Byte.toUnsignedInt((byte) PanthorGroup.QueueCreate.PRIORITY.get(q));
                if (!JobRing.validSize(Integer.toUnsignedLong(size)) || qprio > CSF_MAX_QUEUE_PRIO) {
                    throw new KernelException(Errno.EINVAL, "queue ring size " + size + " or priority " + qprio);
                }
                queues.add(new TyrScheduler.QueueArgs(qprio, size));
            }
            TyrGroup g = sched.createGroup(vm, priority, max, masks, queues);
            PanthorGroup.Create.GROUP_HANDLE.set(arg, pool.install(sched, g));
        }
        return 0;
    }

    /// `DRM_IOCTL_PANTHOR_GROUP_DESTROY`.
    public static <D, R extends RegistrationData & SchedRegistration, F extends GroupFile> int groupDestroy(
            RegisteredDevice<D, R> dev, R data, MemorySegment arg, DrmFile<F> file, Task task) throws KernelException {
        return destroy(data, arg, file.driverFile().groups());
    }

    static int destroy(SchedRegistration data, MemorySegment arg, FileGroups pool) throws KernelException {
        if ((int) PanthorGroup.Destroy.PAD.get(arg) != 0) {
            throw new KernelException(Errno.EINVAL, "group_destroy pad");
        }
        TyrGroup g = pool.remove((int) PanthorGroup.Destroy.GROUP_HANDLE.get(arg));
        if (g == null) {
            throw new KernelException(Errno.EINVAL, "unknown group handle");
        }
        data.scheduler().destroyGroup(g);
        return 0;
    }

    /// `DRM_IOCTL_PANTHOR_GROUP_GET_STATE`.
    public static <D, R extends RegistrationData & SchedRegistration, F extends GroupFile> int groupGetState(
            RegisteredDevice<D, R> dev, R data, MemorySegment arg, DrmFile<F> file, Task task) throws KernelException {
        return getState(arg, file.driverFile().groups());
    }

    static int getState(MemorySegment arg, FileGroups pool) throws KernelException {
        if ((int) PanthorGroup.GetState.PAD.get(arg) != 0) {
            throw new KernelException(Errno.EINVAL, "group_get_state pad");
        }
        TyrGroup g = pool.get((int) PanthorGroup.GetState.GROUP_HANDLE.get(arg));
        if (g == null) {
            throw new KernelException(Errno.EINVAL, "unknown group handle");
        }
        PanthorGroup.GetState.STATE.set(arg, g.stateFlags());
        PanthorGroup.GetState.FATAL_QUEUES.set(arg, g.fatalQueues());
        return 0;
    }

    /// `DRM_IOCTL_PANTHOR_GROUP_SUBMIT`.
    public static <D, R extends RegistrationData & SchedRegistration, F extends GroupFile> int groupSubmit(
            RegisteredDevice<D, R> dev, R data, MemorySegment arg, DrmFile<F> file, Task task) throws KernelException {
        return submit(data.scheduler(), arg, file.driverFile().groups(), data.syncobjs(file), task);
    }

    private record Signal(int job, Syncobj obj) {
    }

    static int submit(TyrScheduler sched, MemorySegment arg, FileGroups pool, SyncobjTable syncobjs, Task task)
            throws KernelException {
        if ((int) PanthorGroup.Submit.PAD.get(arg) != 0) {
            throw new KernelException(Errno.EINVAL, "group_submit pad");
        }
        int count = (int) PanthorGroup.Submit.QUEUE_SUBMITS_COUNT.get(arg);
        long qsize = PanthorGroup.QueueSubmit.LAYOUT.byteSize();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment subs = UserArrays.copy(task, arena, PanthorGroup.QueueSubmit.LAYOUT,
                    (int) PanthorGroup.Submit.QUEUE_SUBMITS_STRIDE.get(arg), count,
                    (long) PanthorGroup.Submit.QUEUE_SUBMITS_ARRAY.get(arg));
            if (count == 0) {
                return 0;
            }
            TyrGroup g = pool.get((int) PanthorGroup.Submit.GROUP_HANDLE.get(arg));
            List<TyrScheduler.JobArgs> jobs = new ArrayList<>();
            List<DmaFence> waits = new ArrayList<>();
            List<Signal> signals = new ArrayList<>();
            for (int k = 0; k < count; k++) {
                MemorySegment s = subs.asSlice(k * qsize, qsize);
                jobs.add(checkJob(s, g));
                MemorySegment ops = UserArrays.copy(task, arena, SyncOp.LAYOUT,
                        (int) PanthorGroup.QueueSubmit.SYNCS_STRIDE.get(s), (int) PanthorGroup.QueueSubmit.SYNCS_COUNT.get(s),
                        (long) PanthorGroup.QueueSubmit.SYNCS_ARRAY.get(s));
                int n = (int) PanthorGroup.QueueSubmit.SYNCS_COUNT.get(s);
                for (int i = 0; i < n; i++) {
                    MemorySegment op = ops.asSlice(i * SyncOp.LAYOUT.byteSize(), SyncOp.LAYOUT.byteSize());
                    checkSyncOp(op, k, syncobjs, waits, signals);
                }
            }
            for (DmaFence f : waits) {
                if (!f.isSignaled() && !sched.awaitOrStopped(f, WAIT_NS)) {
                    throw new KernelException(Errno.ETIMEDOUT, "in-fence " + f + " did not signal");
                }
            }
            DmaFence[] out = sched.submit(g, jobs);
            for (Signal s : signals) {
                s.obj().replaceFence(out[s.job()]);
            }
        }
        return 0;
    }

    /// `panthor_job_create`'s checks.
    private static TyrScheduler.JobArgs checkJob(MemorySegment s, TyrGroup g) throws KernelException {
        int queue = (int) PanthorGroup.QueueSubmit.QUEUE_INDEX.get(s);
        int size = (int) PanthorGroup.QueueSubmit.STREAM_SIZE.get(s);
        long addr = (long) PanthorGroup.QueueSubmit.STREAM_ADDR.get(s);
        int flush = (int) PanthorGroup.QueueSubmit.LATEST_FLUSH.get(s);
        if ((int) PanthorGroup.QueueSubmit.PAD.get(s) != 0) {
            throw new KernelException(Errno.EINVAL, "queue_submit pad");
        }
        if ((size == 0) != (addr == 0)) {
            throw new KernelException(Errno.EINVAL, "stream_addr and stream_size disagree");
        }
        if ((addr & 63) != 0 || (size & 7) != 0) {
            throw new KernelException(Errno.EINVAL, "misaligned stream");
        }
        if ((flush & 0x7F00_0000) != 0) {
            throw new KernelException(Errno.EINVAL, "latest_flush bits 24..30");
        }
        if (g == null || !g.canRun()) {
            throw new KernelException(Errno.EINVAL, g == null ? "unknown group handle" : g + " cannot run");
        }
        if (Integer.compareUnsigned(queue, g.queues().size()) >= 0) {
            throw new KernelException(Errno.EINVAL, "queue index " + Integer.toUnsignedString(queue));
        }
        return new TyrScheduler.JobArgs(queue, addr, size, flush);
    }

    private static void checkSyncOp(MemorySegment op, int job, SyncobjTable syncobjs, List<DmaFence> waits,
                                    List<Signal> signals) throws KernelException {
        int flags = (int) SyncOp.FLAGS.get(op);
        int handle = (int) SyncOp.HANDLE.get(op);
        long point = (long) SyncOp.TIMELINE_VALUE.get(op);
        int type = flags & PanthorDrm.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK;
        if ((flags & ~SYNC_OP_FLAGS_MASK) != 0 || (type != PanthorDrm.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ
                && type != PanthorDrm.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ)) {
            throw new KernelException(Errno.EINVAL, "sync op flags " + Integer.toHexString(flags));
        }
        if (point != 0) {
            throw type == PanthorDrm.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ
                    ? new KernelException(Errno.EINVAL, "timeline value on a binary syncobj op")
                    : new KernelException(Errno.EOPNOTSUPP, "timeline points are not modelled");
        }
        Syncobj obj = syncobjs.find(handle);
        if ((flags & PanthorDrm.DRM_PANTHOR_SYNC_OP_SIGNAL) != 0) {
            if (obj == null) {
                throw new KernelException(Errno.EINVAL, "unknown syncobj " + handle);
            }
            signals.add(new Signal(job, obj));
            return;
        }
        if (obj == null) {
            throw new KernelException(Errno.ENOENT, "unknown syncobj " + handle);
        }
        DmaFence f = obj.fence();
        if (f == null) {
            throw new KernelException(Errno.EINVAL, "syncobj " + handle + " has no fence");
        }
        waits.add(f);
    }
}
