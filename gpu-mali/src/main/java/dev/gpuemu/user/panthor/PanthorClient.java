package dev.gpuemu.user.panthor;

import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.uapi.Syscalls;
import dev.gpuemu.kernel.uapi.drm.DrmIoctls.DrmIoctl;
import dev.gpuemu.kernel.uapi.drm.DrmSyncobj;
import dev.gpuemu.kernel.uapi.panthor.PanthorBo;
import dev.gpuemu.kernel.uapi.panthor.PanthorDrm;
import dev.gpuemu.kernel.uapi.panthor.PanthorGroup;
import dev.gpuemu.kernel.uapi.panthor.PanthorQuery;
import dev.gpuemu.kernel.uapi.panthor.PanthorVm;
import dev.gpuemu.user.drm.DrmClient;
import dev.gpuemu.user.drm.DrmErrnoException;
import dev.gpuemu.user.drm.UserMapping;
import dev.gpuemu.user.drm.UserScratch;
import dev.gpuemu.user.panthor.PanthorInfo.Bo;
import dev.gpuemu.user.panthor.PanthorInfo.CsifInfo;
import dev.gpuemu.user.panthor.PanthorInfo.GpuInfo;
import dev.gpuemu.user.panthor.PanthorInfo.GroupState;
import dev.gpuemu.user.panthor.PanthorInfo.TimestampInfo;
import dev.gpuemu.user.panthor.PanthorInfo.Vm;
import dev.gpuemu.user.panthor.PanthorOps.BindOp;
import dev.gpuemu.user.panthor.PanthorOps.GroupSpec;
import dev.gpuemu.user.panthor.PanthorOps.QueueSubmit;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/// A libdrm/panvk-like client of a panthor DRM fd: every `DRM_IOCTL_PANTHOR_*` with its structs
/// and obj_arrays laid out in the process's memory ([UserScratch]), plus the syncobj calls and
/// `mmap` of the wrapped [DrmClient]. A failed ioctl throws [DrmErrnoException] naming the
/// `DRM_IOCTL_PANTHOR_*` macro and the errno; [#ioctl] is the raw path answering `-errno`.
///
/// ## Invariants
/// The device reported driver name `panthor` when the client was made.
///
/// ## Thread safety
/// Not thread-safe: one thread at a time (the argument memory is shared by every call).
///
/// ## Lifecycle
/// [#open] (owns the DRM client) or [#of] (borrows it) → calls → [#close()] once: unmaps the
/// argument memory and, when owned, closes the DRM client. A second close throws
/// `IllegalStateException`.
public final class PanthorClient implements AutoCloseable {
    private static final Map<Integer, String> NAMES = PanthorDrm.ALL.stream()
            .collect(Collectors.toUnmodifiableMap(DrmIoctl::cmd, DrmIoctl::name));

    private final DrmClient drm;
    private final boolean ownsDrm;
    private final UserScratch args;
    private final PanthorArrays arrays;
    private boolean closed;

    private PanthorClient(DrmClient drm, boolean ownsDrm) {
        String name = drm.version().name();
        if (!name.equals("panthor")) {
            throw new IllegalArgumentException("fd " + drm.fd() + " is a " + name + " device, not panthor");
        }
        this.drm = drm;
        this.ownsDrm = ownsDrm;
        this.args = UserScratch.map(drm.syscalls());
        this.arrays = new PanthorArrays(args);
    }

    /// Opens `path` (a panthor render or primary node); the client owns the fd.
    ///
    /// @throws IllegalArgumentException when the node's driver is not panthor (the fd is closed)
    public static PanthorClient open(Syscalls sys, String path) {
        DrmClient drm = DrmClient.open(sys, path);
        try {
            return new PanthorClient(drm, true);
        } catch (RuntimeException e) {
            drm.close();
            throw e;
        }
    }

    /// A panthor client on `drm`, which stays the caller's to close (after this client).
    public static PanthorClient of(DrmClient drm) {
        return new PanthorClient(Objects.requireNonNull(drm, "drm"), false);
    }

    public DrmClient drm() {
        return drm;
    }

    // ---- DEV_QUERY -------------------------------------------------------------------------------

    /// `DEV_QUERY` with `pointer == 0`: the kernel's size of query `type`.
    public int devQuerySize(int type) {
        return devQuery(type, 0, 0);
    }

    /// `DEV_QUERY` of `type` into user memory at `pointer` (`size` bytes there).
    ///
    /// @return the `size` the kernel wrote back
    public int devQuery(int type, long pointer, int size) {
        MemorySegment a = args.begin();
        PanthorQuery.DevQuery.TYPE.set(a, type);
        PanthorQuery.DevQuery.SIZE.set(a, size);
        PanthorQuery.DevQuery.POINTER.set(a, pointer);
        call(PanthorDrm.DEV_QUERY);
        return (int) PanthorQuery.DevQuery.SIZE.get(a);
    }

    /// Size protocol, then the query; the result zero-extended to `layout` (a smaller kernel
    /// struct leaves the fields it lacks 0, as panthor's versioning rules say).
    private MemorySegment query(int type, StructLayout layout) {
        int size = devQuerySize(type);
        long buf = args.zeroedData(size);
        int got = devQuery(type, buf, size);
        MemorySegment out = MemorySegment.ofArray(new long[(int) (layout.byteSize() + 7) / 8]);
        args.memory().read(buf, out, 0, Math.min(Math.min(got, size), layout.byteSize()));
        return out;
    }

    public GpuInfo gpuInfo() {
        MemorySegment g = query(PanthorDrm.DRM_PANTHOR_DEV_QUERY_GPU_INFO, PanthorQuery.GpuInfo.LAYOUT);
        List<Integer> tex = new ArrayList<>(4);
        for (long i = 0; i < 4; i++) {
            tex.add((int) PanthorQuery.GpuInfo.TEXTURE_FEATURES.get(g, i));
        }
        return new GpuInfo((int) PanthorQuery.GpuInfo.GPU_ID.get(g), (int) PanthorQuery.GpuInfo.GPU_REV.get(g),
                (int) PanthorQuery.GpuInfo.CSF_ID.get(g), (int) PanthorQuery.GpuInfo.L2_FEATURES.get(g),
                (int) PanthorQuery.GpuInfo.TILER_FEATURES.get(g), (int) PanthorQuery.GpuInfo.MEM_FEATURES.get(g),
                (int) PanthorQuery.GpuInfo.MMU_FEATURES.get(g), (int) PanthorQuery.GpuInfo.THREAD_FEATURES.get(g),
                (int) PanthorQuery.GpuInfo.MAX_THREADS.get(g),
                (int) PanthorQuery.GpuInfo.THREAD_MAX_WORKGROUP_SIZE.get(g),
                (int) PanthorQuery.GpuInfo.THREAD_MAX_BARRIER_SIZE.get(g),
                (int) PanthorQuery.GpuInfo.COHERENCY_FEATURES.get(g), tex,
                (int) PanthorQuery.GpuInfo.AS_PRESENT.get(g), (long) PanthorQuery.GpuInfo.SHADER_PRESENT.get(g),
                (long) PanthorQuery.GpuInfo.L2_PRESENT.get(g), (long) PanthorQuery.GpuInfo.TILER_PRESENT.get(g),
                (int) PanthorQuery.GpuInfo.CORE_FEATURES.get(g));
    }

    public CsifInfo csifInfo() {
        MemorySegment c = query(PanthorDrm.DRM_PANTHOR_DEV_QUERY_CSIF_INFO, PanthorQuery.CsifInfo.LAYOUT);
        return new CsifInfo((int) PanthorQuery.CsifInfo.CSG_SLOT_COUNT.get(c),
                (int) PanthorQuery.CsifInfo.CS_SLOT_COUNT.get(c), (int) PanthorQuery.CsifInfo.CS_REG_COUNT.get(c),
                (int) PanthorQuery.CsifInfo.SCOREBOARD_SLOT_COUNT.get(c),
                (int) PanthorQuery.CsifInfo.UNPRESERVED_CS_REG_COUNT.get(c));
    }

    public TimestampInfo timestampInfo() {
        MemorySegment t = query(PanthorDrm.DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, PanthorQuery.TimestampInfo.LAYOUT);
        return new TimestampInfo((long) PanthorQuery.TimestampInfo.TIMESTAMP_FREQUENCY.get(t),
                (long) PanthorQuery.TimestampInfo.CURRENT_TIMESTAMP.get(t),
                (long) PanthorQuery.TimestampInfo.TIMESTAMP_OFFSET.get(t));
    }

    /// `allowed_mask` of `GROUP_PRIORITIES_INFO`: bit `p` set when priority `p` is allowed.
    public int groupPrioritiesAllowedMask() {
        MemorySegment p = query(PanthorDrm.DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO,
                PanthorQuery.GroupPrioritiesInfo.LAYOUT);
        return Byte.toUnsignedInt((byte) PanthorQuery.GroupPrioritiesInfo.ALLOWED_MASK.get(p));
    }

    // ---- VMs ---------------------------------------------------------------------------------------

    /// `VM_CREATE` with flags 0; `userVaRange` 0 lets the kernel pick.
    public Vm vmCreate(long userVaRange) {
        MemorySegment a = args.begin();
        PanthorVm.Create.USER_VA_RANGE.set(a, userVaRange);
        call(PanthorDrm.VM_CREATE);
        return new Vm((int) PanthorVm.Create.ID.get(a), (long) PanthorVm.Create.USER_VA_RANGE.get(a));
    }

    public void vmDestroy(int id) {
        PanthorVm.Destroy.ID.set(args.begin(), id);
        call(PanthorDrm.VM_DESTROY);
    }

    /// `VM_BIND` of `ops` on VM `vmId`; `flags` 0 (synchronous) or `DRM_PANTHOR_VM_BIND_ASYNC`.
    public void vmBind(int vmId, int flags, List<BindOp> ops) {
        MemorySegment a = args.begin();
        long array = arrays.bindOps(ops);
        PanthorVm.Bind.VM_ID.set(a, vmId);
        PanthorVm.Bind.FLAGS.set(a, flags);
        PanthorVm.Bind.OPS_STRIDE.set(a, (int) PanthorVm.BindOp.LAYOUT.byteSize());
        PanthorVm.Bind.OPS_COUNT.set(a, ops.size());
        PanthorVm.Bind.OPS_ARRAY.set(a, array);
        call(PanthorDrm.VM_BIND);
    }

    /// `VM_GET_STATE`: `DRM_PANTHOR_VM_STATE_USABLE` or `_UNUSABLE`.
    public int vmGetState(int vmId) {
        MemorySegment a = args.begin();
        PanthorVm.GetState.VM_ID.set(a, vmId);
        call(PanthorDrm.VM_GET_STATE);
        return (int) PanthorVm.GetState.STATE.get(a);
    }

    // ---- BOs ---------------------------------------------------------------------------------------

    /// `BO_CREATE`; `flags` 0 or `DRM_PANTHOR_BO_NO_MMAP`, `exclusiveVmId` 0 or a VM id.
    public Bo boCreate(long size, int flags, int exclusiveVmId) {
        MemorySegment a = args.begin();
        PanthorBo.Create.SIZE.set(a, size);
        PanthorBo.Create.FLAGS.set(a, flags);
        PanthorBo.Create.EXCLUSIVE_VM_ID.set(a, exclusiveVmId);
        call(PanthorDrm.BO_CREATE);
        return new Bo((int) PanthorBo.Create.HANDLE.get(a), (long) PanthorBo.Create.SIZE.get(a));
    }

    public long boMmapOffset(int handle) {
        MemorySegment a = args.begin();
        PanthorBo.MmapOffset.HANDLE.set(a, handle);
        call(PanthorDrm.BO_MMAP_OFFSET);
        return (long) PanthorBo.MmapOffset.OFFSET.get(a);
    }

    /// `BO_MMAP_OFFSET`, then a shared read/write mapping of the whole BO.
    public UserMapping mmapBo(Bo bo) {
        return drm.mmap(boMmapOffset(bo.handle()), bo.size(), Fcntl.PROT_READ | Fcntl.PROT_WRITE);
    }

    /// `BO_SET_LABEL`; `label` null clears it.
    public void boSetLabel(int handle, String label) {
        MemorySegment a = args.begin();
        long ptr = 0;
        if (label != null) {
            byte[] b = label.getBytes(StandardCharsets.UTF_8);
            ptr = args.zeroedData(b.length + 1L);
            args.memory().write(ptr, MemorySegment.ofArray(b), 0, b.length);
        }
        PanthorBo.SetLabel.HANDLE.set(a, handle);
        PanthorBo.SetLabel.LABEL.set(a, ptr);
        call(PanthorDrm.BO_SET_LABEL);
    }

    /// `SET_USER_MMIO_OFFSET`: `DRM_PANTHOR_USER_MMIO_OFFSET_32BIT` or `_64BIT`.
    public void setUserMmioOffset(long offset) {
        PanthorDrm.SetUserMmioOffset.OFFSET.set(args.begin(), offset);
        call(PanthorDrm.SET_USER_MMIO_OFFSET);
    }

    // ---- groups ------------------------------------------------------------------------------------

    /// `GROUP_CREATE`: the group handle.
    public int groupCreate(GroupSpec spec) {
        MemorySegment a = args.begin();
        long array = arrays.queues(spec.queues());
        PanthorGroup.Create.QUEUES_STRIDE.set(a, (int) PanthorGroup.QueueCreate.LAYOUT.byteSize());
        PanthorGroup.Create.QUEUES_COUNT.set(a, spec.queues().size());
        PanthorGroup.Create.QUEUES_ARRAY.set(a, array);
        PanthorGroup.Create.MAX_COMPUTE_CORES.set(a, (byte) spec.maxComputeCores());
        PanthorGroup.Create.MAX_FRAGMENT_CORES.set(a, (byte) spec.maxFragmentCores());
        PanthorGroup.Create.MAX_TILER_CORES.set(a, (byte) spec.maxTilerCores());
        PanthorGroup.Create.PRIORITY.set(a, (byte) spec.priority());
        PanthorGroup.Create.COMPUTE_CORE_MASK.set(a, spec.computeCoreMask());
        PanthorGroup.Create.FRAGMENT_CORE_MASK.set(a, spec.fragmentCoreMask());
        PanthorGroup.Create.TILER_CORE_MASK.set(a, spec.tilerCoreMask());
        PanthorGroup.Create.VM_ID.set(a, spec.vmId());
        call(PanthorDrm.GROUP_CREATE);
        return (int) PanthorGroup.Create.GROUP_HANDLE.get(a);
    }

    public void groupDestroy(int groupHandle) {
        PanthorGroup.Destroy.GROUP_HANDLE.set(args.begin(), groupHandle);
        call(PanthorDrm.GROUP_DESTROY);
    }

    /// `GROUP_SUBMIT` of `submits` to group `groupHandle`.
    public void groupSubmit(int groupHandle, List<QueueSubmit> submits) {
        MemorySegment a = args.begin();
        long array = arrays.queueSubmits(submits);
        PanthorGroup.Submit.GROUP_HANDLE.set(a, groupHandle);
        PanthorGroup.Submit.QUEUE_SUBMITS_STRIDE.set(a, (int) PanthorGroup.QueueSubmit.LAYOUT.byteSize());
        PanthorGroup.Submit.QUEUE_SUBMITS_COUNT.set(a, submits.size());
        PanthorGroup.Submit.QUEUE_SUBMITS_ARRAY.set(a, array);
        call(PanthorDrm.GROUP_SUBMIT);
    }

    public GroupState groupGetState(int groupHandle) {
        MemorySegment a = args.begin();
        PanthorGroup.GetState.GROUP_HANDLE.set(a, groupHandle);
        call(PanthorDrm.GROUP_GET_STATE);
        return new GroupState((int) PanthorGroup.GetState.STATE.get(a),
                (int) PanthorGroup.GetState.FATAL_QUEUES.get(a));
    }

    // ---- syncobjs, raw path ------------------------------------------------------------------------

    /// An unsignaled binary syncobj (`DRM_IOCTL_SYNCOBJ_CREATE`, flags 0).
    public int syncobjCreate() {
        return drm.syncobjCreate(0);
    }

    /// Waits for syncobj `handle` until the absolute `CLOCK_MONOTONIC` time `deadlineNs`
    /// (`WAIT_FOR_SUBMIT`, so a syncobj whose job is not yet queued is waited for too).
    ///
    /// @throws DrmErrnoException `ETIME` when the deadline passes
    public void syncobjWait(int handle, long deadlineNs) {
        drm.syncobjWait(new int[] {handle}, deadlineNs,
                DrmSyncobj.DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT);
    }

    public void syncobjDestroy(int handle) {
        drm.syncobjDestroy(handle);
    }

    /// The raw path of [DrmClient#ioctl]: 0 or `-errno`, nothing thrown.
    public int ioctl(int cmd, MemorySegment arg) {
        return drm.ioctl(cmd, arg);
    }

    /// The `DRM_IOCTL_PANTHOR_*` macro name of `cmd`, or the DRM core's name for it.
    public static String ioctlName(int cmd) {
        String n = NAMES.get(cmd);
        return n != null ? n : DrmErrnoException.ioctlName(cmd);
    }

    private void call(int cmd) {
        if (closed) {
            throw new IllegalStateException("panthor client of fd " + drm.fd() + " is closed");
        }
        int r = args.ioctl(drm.fd(), cmd);
        if (r < 0) {
            throw new DrmErrnoException(ioctlName(cmd), r);
        }
    }

    /// Unmaps the argument memory; closes the DRM client when this client opened it.
    ///
    /// @throws IllegalStateException on a second close
    @Override
    public void close() {
        if (closed) {
            throw new IllegalStateException("panthor client of fd " + drm.fd() + " already closed");
        }
        closed = true;
        int r = args.close();
        if (ownsDrm) {
            drm.close();
        }
        if (r != 0) {
            throw new DrmErrnoException("munmap", r);
        }
    }

    @Override
    public String toString() {
        return "panthor " + drm + (closed ? " (closed)" : "");
    }
}
