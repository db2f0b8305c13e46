package dev.gpuemu.user.nova;

import dev.gpuemu.kernel.uapi.Syscalls;
import dev.gpuemu.kernel.uapi.drm.DrmIoctls.DrmIoctl;
import dev.gpuemu.kernel.uapi.drm.DrmSyncobj;
import dev.gpuemu.kernel.uapi.nova.NovaDrm;
import dev.gpuemu.kernel.uapi.nova.NovaGpuemu;
import dev.gpuemu.user.drm.DrmClient;
import dev.gpuemu.user.drm.DrmErrnoException;
import dev.gpuemu.user.drm.UserMapping;
import dev.gpuemu.user.drm.UserScratch;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/// A libdrm-like client of a nova DRM fd: every `DRM_IOCTL_NOVA_*` (upstream) and
/// `DRM_IOCTL_NOVA_GPUEMU_*` (gpuemu's extension) with its struct laid out in the process's memory
/// ([UserScratch]), plus syncobjs and `mmap` of the wrapped [DrmClient]. A failed ioctl throws
/// [DrmErrnoException] naming the macro and the errno; [#ioctl] is the raw path answering `-errno`.
///
/// ## Invariants
/// The device reported driver name `nova` when the client was made.
///
/// ## Thread safety
/// Not thread-safe: one thread at a time (the argument memory is shared by every call).
///
/// ## Lifecycle
/// [#open] (owns the DRM client) or [#of] (borrows it) → calls → [#close()] once. A second close
/// throws `IllegalStateException`.
public final class NovaClient implements AutoCloseable {
    private static final Map<Integer, String> NAMES = NovaDrm.ALL.stream()
            .collect(Collectors.toUnmodifiableMap(DrmIoctl::cmd, DrmIoctl::name));

    /// A created object: handle and (rounded) size.
    public record Bo(int handle, long size) {
    }

    /// A created VM: id and its user range.
    public record Vm(int id, long vaStart, long vaEnd) {
    }

    /// `CHANNEL_GET_STATE`'s answer.
    public record ChannelState(int state, long faultVa, int error) {
        public boolean faulted() {
            return state == NovaGpuemu.NOVA_GPUEMU_CHANNEL_STATE_FAULTED;
        }
    }

    private final DrmClient drm;
    private final boolean ownsDrm;
    private final UserScratch args;
    private boolean closed;

    private NovaClient(DrmClient drm, boolean ownsDrm) {
        String name = drm.version().name();
        if (!name.equals("nova")) {
            throw new IllegalArgumentException("fd " + drm.fd() + " is a " + name + " device, not nova");
        }
        this.drm = drm;
        this.ownsDrm = ownsDrm;
        this.args = UserScratch.map(drm.syscalls());
    }

    /// Opens `path` (a nova render or primary node); the client owns the fd.
    public static NovaClient open(Syscalls sys, String path) {
        DrmClient drm = DrmClient.open(sys, path);
        try {
            return new NovaClient(drm, true);
        } catch (RuntimeException e) {
            drm.close();
            throw e;
        }
    }

    /// A client on `drm`, which stays the caller's to close (after this client).
    public static NovaClient of(DrmClient drm) {
        return new NovaClient(Objects.requireNonNull(drm, "drm"), false);
    }

    public DrmClient drm() {
        return drm;
    }

    // ---- upstream ---------------------------------------------------------------------------------

    /// `GETPARAM`.
    public long getParam(long param) {
        MemorySegment a = args.begin();
        NovaDrm.GetParam.PARAM.set(a, param);
        call(NovaDrm.GETPARAM);
        return (long) NovaDrm.GetParam.VALUE.get(a);
    }

    /// `GETPARAM(NOVA_GETPARAM_VRAM_BAR_SIZE)`: the BAR1 length.
    public long vramBarSize() {
        return getParam(NovaDrm.NOVA_GETPARAM_VRAM_BAR_SIZE);
    }

    /// Upstream `GEM_CREATE` (a system-memory object); returns the handle.
    public int gemCreate(long size) {
        MemorySegment a = args.begin();
        NovaDrm.GemCreate.SIZE.set(a, size);
        call(NovaDrm.GEM_CREATE);
        return (int) NovaDrm.GemCreate.HANDLE.get(a);
    }

    /// `GEM_INFO`: the object's size.
    public long gemInfo(int handle) {
        MemorySegment a = args.begin();
        NovaDrm.GemInfo.HANDLE.set(a, handle);
        call(NovaDrm.GEM_INFO);
        return (long) NovaDrm.GemInfo.SIZE.get(a);
    }

    public void gemClose(int handle) {
        drm.gemClose(handle);
    }

    // ---- extension: objects -----------------------------------------------------------------------

    /// `GPUEMU_GEM_CREATE` in system memory.
    public Bo createSysmem(long size) {
        return gemCreateExt(size, 0);
    }

    /// `GPUEMU_GEM_CREATE` in VRAM.
    public Bo createVram(long size) {
        return gemCreateExt(size, NovaGpuemu.NOVA_GPUEMU_GEM_CREATE_VRAM);
    }

    public Bo gemCreateExt(long size, int flags) {
        MemorySegment a = args.begin();
        NovaGpuemu.GemCreate.SIZE.set(a, size);
        NovaGpuemu.GemCreate.FLAGS.set(a, flags);
        call(NovaDrm.GPUEMU_GEM_CREATE);
        return new Bo((int) NovaGpuemu.GemCreate.HANDLE.get(a), (long) NovaGpuemu.GemCreate.SIZE.get(a));
    }

    /// `GPUEMU_GEM_MMAP_OFFSET`.
    public long mmapOffset(int handle) {
        MemorySegment a = args.begin();
        NovaGpuemu.GemMmapOffset.HANDLE.set(a, handle);
        call(NovaDrm.GPUEMU_GEM_MMAP_OFFSET);
        return (long) NovaGpuemu.GemMmapOffset.OFFSET.get(a);
    }

    /// Maps object `bo` read-write shared.
    public UserMapping mmap(Bo bo) {
        return drm.mmap(mmapOffset(bo.handle()), bo.size(), 3);
    }

    // ---- extension: VMs and channels --------------------------------------------------------------

    public Vm vmCreate() {
        MemorySegment a = args.begin();
        call(NovaDrm.GPUEMU_VM_CREATE);
        return new Vm((int) NovaGpuemu.VmCreate.ID.get(a), (long) NovaGpuemu.VmCreate.VA_START.get(a),
                (long) NovaGpuemu.VmCreate.VA_END.get(a));
    }

    public void vmDestroy(int id) {
        MemorySegment a = args.begin();
        NovaGpuemu.VmDestroy.ID.set(a, id);
        call(NovaDrm.GPUEMU_VM_DESTROY);
    }

    /// `VM_BIND` MAP of `[offset, offset + range)` of `handle` at `va`.
    public void vmMap(int vmId, int handle, long offset, long va, long range, boolean readOnly) {
        MemorySegment a = args.begin();
        NovaGpuemu.VmBind.VM_ID.set(a, vmId);
        NovaGpuemu.VmBind.OP.set(a, NovaGpuemu.NOVA_GPUEMU_VM_BIND_OP_MAP);
        NovaGpuemu.VmBind.FLAGS.set(a, readOnly ? NovaGpuemu.NOVA_GPUEMU_VM_BIND_READ_ONLY : 0);
        NovaGpuemu.VmBind.HANDLE.set(a, handle);
        NovaGpuemu.VmBind.OFFSET.set(a, offset);
        NovaGpuemu.VmBind.VA.set(a, va);
        NovaGpuemu.VmBind.RANGE.set(a, range);
        call(NovaDrm.GPUEMU_VM_BIND);
    }

    /// `VM_BIND` UNMAP of exactly one earlier mapping.
    public void vmUnmap(int vmId, long va, long range) {
        MemorySegment a = args.begin();
        NovaGpuemu.VmBind.VM_ID.set(a, vmId);
        NovaGpuemu.VmBind.OP.set(a, NovaGpuemu.NOVA_GPUEMU_VM_BIND_OP_UNMAP);
        NovaGpuemu.VmBind.VA.set(a, va);
        NovaGpuemu.VmBind.RANGE.set(a, range);
        call(NovaDrm.GPUEMU_VM_BIND);
    }

    public int channelCreate(int vmId) {
        MemorySegment a = args.begin();
        NovaGpuemu.ChannelCreate.VM_ID.set(a, vmId);
        call(NovaDrm.GPUEMU_CHANNEL_CREATE);
        return (int) NovaGpuemu.ChannelCreate.CHANNEL.get(a);
    }

    public void channelDestroy(int channel) {
        MemorySegment a = args.begin();
        NovaGpuemu.ChannelDestroy.CHANNEL.set(a, channel);
        call(NovaDrm.GPUEMU_CHANNEL_DESTROY);
    }

    public ChannelState channelState(int channel) {
        MemorySegment a = args.begin();
        NovaGpuemu.ChannelGetState.CHANNEL.set(a, channel);
        call(NovaDrm.GPUEMU_CHANNEL_GET_STATE);
        return new ChannelState((int) NovaGpuemu.ChannelGetState.STATE.get(a),
                (long) NovaGpuemu.ChannelGetState.FAULT_VA.get(a), (int) NovaGpuemu.ChannelGetState.ERROR.get(a));
    }

    /// `SUBMIT` of `dwords` at byte `offset` of pushbuffer object `handle`, waiting on `waits` and
    /// signalling `signals` (syncobj handles).
    public void submit(int channel, int handle, long offset, int dwords, int[] waits, int[] signals) {
        long data = args.data(4L * (waits.length + signals.length));
        for (int i = 0; i < waits.length; i++) {
            args.memory().putInt(data + 4L * i, waits[i]);
        }
        long sig = data + 4L * waits.length;
        for (int i = 0; i < signals.length; i++) {
            args.memory().putInt(sig + 4L * i, signals[i]);
        }
        MemorySegment a = args.begin();
        NovaGpuemu.Submit.CHANNEL.set(a, channel);
        NovaGpuemu.Submit.HANDLE.set(a, handle);
        NovaGpuemu.Submit.OFFSET.set(a, offset);
        NovaGpuemu.Submit.DWORDS.set(a, dwords);
        NovaGpuemu.Submit.WAITS.set(a, waits.length == 0 ? 0L : data);
        NovaGpuemu.Submit.SIGNALS.set(a, signals.length == 0 ? 0L : sig);
        NovaGpuemu.Submit.WAIT_COUNT.set(a, waits.length);
        NovaGpuemu.Submit.SIGNAL_COUNT.set(a, signals.length);
        call(NovaDrm.GPUEMU_SUBMIT);
    }

    // ---- syncobjs, raw path -------------------------------------------------------------------------

    public int syncobjCreate() {
        return drm.syncobjCreate(0);
    }

    /// Waits for `handle` until the absolute `CLOCK_MONOTONIC` `deadlineNs` (WAIT_FOR_SUBMIT).
    public void syncobjWait(int handle, long deadlineNs) {
        drm.syncobjWait(new int[] {handle}, deadlineNs, DrmSyncobj.DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT);
    }

    public void syncobjDestroy(int handle) {
        drm.syncobjDestroy(handle);
    }

    /// The raw path: 0 or `-errno`, nothing thrown.
    public int ioctl(int cmd, MemorySegment arg) {
        return drm.ioctl(cmd, arg);
    }

    /// The `DRM_IOCTL_NOVA_*` macro name of `cmd`, or the DRM core's name for it.
    public static String ioctlName(int cmd) {
        String n = NAMES.get(cmd);
        return n != null ? n : DrmErrnoException.ioctlName(cmd);
    }

    private void call(int cmd) {
        if (closed) {
            throw new IllegalStateException("nova client of fd " + drm.fd() + " is closed");
        }
        int r = args.ioctl(drm.fd(), cmd);
        if (r < 0) {
            throw new DrmErrnoException(ioctlName(cmd), r);
        }
    }

    @Override
    public void close() {
        if (closed) {
            throw new IllegalStateException("nova client of fd " + drm.fd() + " already closed");
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
        return "nova " + drm + (closed ? " (closed)" : "");
    }
}
