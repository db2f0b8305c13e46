package dev.gpuemu.kernel.drivers.nova.drm;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.drivers.nova.core.NovaChannel;
import dev.gpuemu.kernel.drm.DrmFile;
import dev.gpuemu.kernel.drm.gem.GemObject;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.nova.NovaGpuemu;
import java.lang.foreign.MemorySegment;

/// The extension's VM and channel ioctls.
///
/// - VM_CREATE: `flags != 0` → `EINVAL`; more than [NovaFile#MAX_VMS] → `EBUSY`; nova-core's
///   `ENOMEM` passes through. Out: `id`, `va_start`, `va_end`.
/// - VM_DESTROY: `pad != 0` → `EINVAL`; unknown id → `ENOENT`; a VM with channels → `EBUSY`.
///   Its mappings drop their object references.
/// - VM_BIND: unknown VM → `ENOENT`; unknown op → `EINVAL`; `offset`, `va` or `range` not 4 KiB
///   aligned, `range == 0`, or a range outside `[VA_START, VA_END)` → `EINVAL`.
///   MAP: flags beyond `READ_ONLY` → `EINVAL`; unknown handle → `ENOENT`; `offset + range`
///   beyond the object → `EINVAL`; overlap with an existing mapping → `EEXIST` (a mapping is
///   never replaced implicitly: each one holds exactly its object, and userspace unmaps first).
///   UNMAP: flags, handle or offset non-zero → `EINVAL`; `[va, va + range)` must be exactly one
///   earlier MAP, else `ENOENT` (no partial unmaps: mappings are never split).
/// - CHANNEL_CREATE: `flags`/`pad` non-zero → `EINVAL`; unknown VM → `ENOENT`; more than
///   [NovaFile#MAX_CHANNELS] → `EBUSY`; no free hardware channel → `EBUSY` (nova-core).
/// - CHANNEL_DESTROY: `pad != 0` → `EINVAL`; unknown channel → `ENOENT`; pending jobs finish with
///   `-ECANCELED` fences.
/// - CHANNEL_GET_STATE: `pad != 0` → `EINVAL`; unknown channel → `ENOENT`; `state`, `fault_va`,
///   `error` out.
///
/// ## Thread safety
/// Stateless; VMs and channels serialise their own changes.
final class NovaVmIoctls {
    private static final long PAGE = 4096;

    private NovaVmIoctls() {
    }

    static int vmCreate(NovaRegistration data, MemorySegment arg, DrmFile<NovaFile> file) throws KernelException {
        if ((int) NovaGpuemu.VmCreate.FLAGS.get(arg) != 0) {
            throw KernelException.of(Errno.EINVAL);
        }
        NovaFile f = file.driverFile();
        if (f.vmCount() >= NovaFile.MAX_VMS) {
            throw new KernelException(Errno.EBUSY, "VM table full");
        }
        NovaUserVm vm = new NovaUserVm(data.aux().createVm(), data);
        int id = f.vms.alloc(vm, NovaFile.MAX_VMS);
        if (id < 0) {
            vm.release();
            throw new KernelException(Errno.EBUSY, "VM table full");
        }
        NovaGpuemu.VmCreate.ID.set(arg, id);
        NovaGpuemu.VmCreate.VA_START.set(arg, NovaGpuemu.NOVA_GPUEMU_VA_START);
        NovaGpuemu.VmCreate.VA_END.set(arg, NovaGpuemu.NOVA_GPUEMU_VA_END);
        return 0;
    }

    static int vmDestroy(MemorySegment arg, DrmFile<NovaFile> file) throws KernelException {
        if ((int) NovaGpuemu.VmDestroy.PAD.get(arg) != 0) {
            throw KernelException.of(Errno.EINVAL);
        }
        NovaFile f = file.driverFile();
        int id = (int) NovaGpuemu.VmDestroy.ID.get(arg);
        synchronized (f) {
            NovaUserVm vm = f.vm(id);
            if (vm == null) {
                throw new KernelException(Errno.ENOENT, "no VM " + id);
            }
            if (vm.channelCount() > 0) {
                throw new KernelException(Errno.EBUSY, "VM " + id + " has channels");
            }
            f.vms.remove(id);
            vm.release();
        }
        return 0;
    }

    static int vmBind(MemorySegment arg, DrmFile<NovaFile> file) throws KernelException {
        NovaUserVm vm = file.driverFile().vm((int) NovaGpuemu.VmBind.VM_ID.get(arg));
        if (vm == null) {
            throw new KernelException(Errno.ENOENT, "no VM " + NovaGpuemu.VmBind.VM_ID.get(arg));
        }
        int op = (int) NovaGpuemu.VmBind.OP.get(arg);
        int flags = (int) NovaGpuemu.VmBind.FLAGS.get(arg);
        int handle = (int) NovaGpuemu.VmBind.HANDLE.get(arg);
        long offset = (long) NovaGpuemu.VmBind.OFFSET.get(arg);
        long va = (long) NovaGpuemu.VmBind.VA.get(arg);
        long range = (long) NovaGpuemu.VmBind.RANGE.get(arg);
        if (op != NovaGpuemu.NOVA_GPUEMU_VM_BIND_OP_MAP && op != NovaGpuemu.NOVA_GPUEMU_VM_BIND_OP_UNMAP) {
            throw new KernelException(Errno.EINVAL, "vm_bind op " + Integer.toUnsignedString(op));
        }
        if (((offset | va | range) & (PAGE - 1)) != 0 || range == 0) {
            throw new KernelException(Errno.EINVAL, "misaligned or empty vm_bind range");
        }
        if (Long.compareUnsigned(va, NovaGpuemu.NOVA_GPUEMU_VA_START) < 0
                || Long.compareUnsigned(range, NovaGpuemu.NOVA_GPUEMU_VA_END) > 0
                || Long.compareUnsigned(va, NovaGpuemu.NOVA_GPUEMU_VA_END - range) > 0) {
            throw new KernelException(Errno.EINVAL, "vm_bind range outside the user VA range");
        }
        if (op == NovaGpuemu.NOVA_GPUEMU_VM_BIND_OP_UNMAP) {
            if (flags != 0 || handle != 0 || offset != 0) {
                throw KernelException.of(Errno.EINVAL);
            }
            vm.unmap(va, range);
            return 0;
        }
        if ((flags & ~NovaGpuemu.NOVA_GPUEMU_VM_BIND_READ_ONLY) != 0) {
            throw new KernelException(Errno.EINVAL, "vm_bind flags 0x" + Integer.toHexString(flags));
        }
        GemObject obj = file.gem().lookup(handle);
        if (obj == null) {
            throw new KernelException(Errno.ENOENT, "no object " + handle);
        }
        try {
            if (Long.compareUnsigned(range, obj.size()) > 0 || Long.compareUnsigned(offset, obj.size() - range) > 0) {
                throw new KernelException(Errno.EINVAL, "vm_bind range beyond the object");
            }
            vm.map(obj, offset, va, range, (flags & NovaGpuemu.NOVA_GPUEMU_VM_BIND_READ_ONLY) != 0);
        } finally {
            obj.put();
        }
        return 0;
    }

    static int channelCreate(NovaRegistration data, MemorySegment arg, DrmFile<NovaFile> file)
            throws KernelException {
        if ((int) NovaGpuemu.ChannelCreate.FLAGS.get(arg) != 0 || (int) NovaGpuemu.ChannelCreate.PAD.get(arg) != 0) {
            throw KernelException.of(Errno.EINVAL);
        }
        NovaFile f = file.driverFile();
        int vmId = (int) NovaGpuemu.ChannelCreate.VM_ID.get(arg);
        NovaUserChannel ch;
        synchronized (f) {
            NovaUserVm vm = f.vm(vmId);
            if (vm == null) {
                throw new KernelException(Errno.ENOENT, "no VM " + vmId);
            }
            if (f.channelCount() >= NovaFile.MAX_CHANNELS) {
                throw new KernelException(Errno.EBUSY, "channel table full");
            }
            ch = NovaUserChannel.create(data, vm);
        }
        int id = f.channels.alloc(ch, NovaFile.MAX_CHANNELS);
        if (id < 0) {
            ch.release();
            throw new KernelException(Errno.EBUSY, "channel table full");
        }
        NovaGpuemu.ChannelCreate.CHANNEL.set(arg, id);
        return 0;
    }

    static int channelDestroy(MemorySegment arg, DrmFile<NovaFile> file) throws KernelException {
        if ((int) NovaGpuemu.ChannelDestroy.PAD.get(arg) != 0) {
            throw KernelException.of(Errno.EINVAL);
        }
        int id = (int) NovaGpuemu.ChannelDestroy.CHANNEL.get(arg);
        NovaUserChannel ch = id <= 0 ? null : file.driverFile().channels.remove(id);
        if (ch == null) {
            throw new KernelException(Errno.ENOENT, "no channel " + id);
        }
        ch.release();
        return 0;
    }

    static int channelGetState(MemorySegment arg, DrmFile<NovaFile> file) throws KernelException {
        if ((int) NovaGpuemu.ChannelGetState.PAD.get(arg) != 0) {
            throw KernelException.of(Errno.EINVAL);
        }
        NovaUserChannel ch = file.driverFile().channel((int) NovaGpuemu.ChannelGetState.CHANNEL.get(arg));
        if (ch == null) {
            throw KernelException.of(Errno.ENOENT);
        }
        ch.retire();
        NovaChannel.State state = ch.state();
        var fault = ch.fault();
        NovaGpuemu.ChannelGetState.STATE.set(arg, state == NovaChannel.State.FAULTED
                ? NovaGpuemu.NOVA_GPUEMU_CHANNEL_STATE_FAULTED : NovaGpuemu.NOVA_GPUEMU_CHANNEL_STATE_ACTIVE);
        NovaGpuemu.ChannelGetState.FAULT_VA.set(arg, fault.filter(NovaChannel.Fault::isMmuFault)
                .map(NovaChannel.Fault::address).orElse(0L));
        NovaGpuemu.ChannelGetState.ERROR.set(arg, fault.map(NovaChannel.Fault::error).orElse(0));
        return 0;
    }
}
