package dev.gpuemu.kernel.drivers.tyr;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.drm.DrmFile;
import dev.gpuemu.kernel.drm.gem.GemObject;
import dev.gpuemu.kernel.drivers.tyr.mmu.TyrVm;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.panthor.PanthorDrm;
import dev.gpuemu.kernel.uapi.panthor.PanthorVm;
import dev.gpuemu.kernel.vfs.Task;
import dev.gpuemu.regs.mali.MaliPte;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/// `DRM_IOCTL_PANTHOR_VM_CREATE`, `VM_DESTROY`, `VM_BIND` and `VM_GET_STATE` (panthor_drv.c,
/// panthor_mmu.c), synchronous binds only.
///
/// - VM_CREATE: `flags != 0` → `EINVAL`. The VA space is `1 << va_bits` (48 bits on the G610);
///   `user_va_range == 0` picks half of it (panthor's choice when the GPU range is not smaller than
///   the task's and exceeds 4 GiB); a range that leaves less than 256 MiB to the kernel → `EINVAL`.
///   The kernel range is the largest power of two that fits above the user range; the answer's
///   `user_va_range` is where it starts. More than [TyrFile#MAX_VMS] VMs → `EBUSY`.
/// - VM_DESTROY: `pad != 0` or an unknown id → `EINVAL`.
/// - VM_GET_STATE: unknown id → `EINVAL`; `USABLE` or `UNUSABLE` (after an MMU fault).
/// - VM_BIND: unknown VM → `EINVAL`; flags other than `DRM_PANTHOR_VM_BIND_ASYNC` → `EINVAL`;
///   `ASYNC` → `EOPNOTSUPP` (asynchronous binds need the scheduler's VM_BIND queue, not modelled);
///   ops array: `stride` below 48 → `EINVAL`, a larger stride's extra bytes non-zero → `E2BIG`,
///   faulting array → `EFAULT`, all copied before any op runs. Each op, in order; the first failing
///   op stops the ioctl with its errno and `ops.count` is set to its index:
///   - a sync op array (`syncs.count != 0`) → `EINVAL` (no syncs on synchronous binds);
///   - `size == 0` → nothing;
///   - MAP: flags beyond READONLY/NOEXEC/UNCACHED → `EINVAL`; unknown BO handle → `EINVAL`;
///     `va`, `size` or `bo_offset` not 4 KiB aligned, a range outside the user VA range or beyond
///     the BO, or a BO exclusive to another VM → `EINVAL`; maps the BO's pages, replacing what
///     was there; an unusable VM → `EINVAL`;
///   - UNMAP: any flag, a BO handle or offset → `EINVAL`; same alignment/range rules; unmaps;
///   - SYNC_ONLY with a size, or an unknown type → `EINVAL`.
///
/// ## Thread safety
/// Stateless; each VM serialises its own changes.
final class TyrVmIoctls {
    /// `PANTHOR_VM_MIN_KERNEL_VA_SIZE`.
    static final long MIN_KERNEL_VA = 256L << 20;
    static final int MAP_FLAGS = PanthorDrm.DRM_PANTHOR_VM_BIND_OP_MAP_READONLY
            | PanthorDrm.DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC | PanthorDrm.DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED;
    static final int OP_SIZE = (int) PanthorVm.BindOp.LAYOUT.byteSize();
    /// Largest ops array copied in (kvmalloc would fail beyond).
    static final long MAX_OPS_BYTES = 64L << 20;

    private TyrVmIoctls() {
    }

    static int create(TyrRegistration data, MemorySegment arg, DrmFile<TyrFile> file) throws KernelException {
        if ((int) PanthorVm.Create.FLAGS.get(arg) != 0) {
            throw KernelException.of(Errno.EINVAL);
        }
        int vaBits = data.gpuInfo().vaBits();
        long full = 1L << vaBits;
        long asked = (long) PanthorVm.Create.USER_VA_RANGE.get(arg);
        long user = asked != 0 ? asked : full > (1L << 32) ? full / 2 : full - MIN_KERNEL_VA;
        user = Math.min(user, full - MIN_KERNEL_VA);
        if (full < MIN_KERNEL_VA || user <= 0 || (asked != 0 && Long.compareUnsigned(asked, user) > 0)) {
            throw new KernelException(Errno.EINVAL, "user_va_range 0x" + Long.toHexString(asked));
        }
        long kernelRange = Long.highestOneBit(full - user);
        long kernelStart = full - kernelRange;
        TyrFile f = file.driverFile();
        if (f.vmCount() >= TyrFile.MAX_VMS) {
            throw new KernelException(Errno.EBUSY, "VM pool full");
        }
        TyrVm vm = data.mmu().createVm("pid" + file.pid() + "-vm", false, 0, full);
        TyrUserVm uvm = new TyrUserVm(vm, kernelStart);
        int id = f.vms.alloc(uvm, TyrFile.MAX_VMS);
        if (id < 0) {
            uvm.destroy();
            throw new KernelException(Errno.EBUSY, "VM pool full");
        }
        PanthorVm.Create.ID.set(arg, id);
        PanthorVm.Create.USER_VA_RANGE.set(arg, kernelStart);
        return 0;
    }

    static int destroy(MemorySegment arg, DrmFile<TyrFile> file) throws KernelException {
        if ((int) PanthorVm.Destroy.PAD.get(arg) != 0) {
            throw KernelException.of(Errno.EINVAL);
        }
        int id = (int) PanthorVm.Destroy.ID.get(arg);
        TyrUserVm vm = id <= 0 ? null : file.driverFile().vms.remove(id);
        if (vm == null) {
            throw new KernelException(Errno.EINVAL, "no VM " + id);
        }
        vm.destroy();
        return 0;
    }

    static int getState(MemorySegment arg, DrmFile<TyrFile> file) throws KernelException {
        TyrUserVm vm = file.driverFile().vm((int) PanthorVm.GetState.VM_ID.get(arg));
        if (vm == null) {
            throw KernelException.of(Errno.EINVAL);
        }
        PanthorVm.GetState.STATE.set(arg, vm.isUnusable() ? PanthorDrm.DRM_PANTHOR_VM_STATE_UNUSABLE
                : PanthorDrm.DRM_PANTHOR_VM_STATE_USABLE);
        return 0;
    }

    static int bind(MemorySegment arg, DrmFile<TyrFile> file, Task task) throws KernelException {
        TyrUserVm vm = file.driverFile().vm((int) PanthorVm.Bind.VM_ID.get(arg));
        if (vm == null) {
            throw new KernelException(Errno.EINVAL, "no VM " + PanthorVm.Bind.VM_ID.get(arg));
        }
        int flags = (int) PanthorVm.Bind.FLAGS.get(arg);
        if ((flags & ~PanthorDrm.DRM_PANTHOR_VM_BIND_ASYNC) != 0) {
            throw KernelException.of(Errno.EINVAL);
        }
        if (flags != 0) {
            throw new KernelException(Errno.EOPNOTSUPP, "asynchronous VM_BIND is not modelled");
        }
        long count = Integer.toUnsignedLong((int) PanthorVm.Bind.OPS_COUNT.get(arg));
        if (count == 0) {
            return 0;
        }
        long stride = Integer.toUnsignedLong((int) PanthorVm.Bind.OPS_STRIDE.get(arg));
        if (stride < OP_SIZE) {
            throw new KernelException(Errno.EINVAL, "ops stride " + stride);
        }
        if (stride > MAX_OPS_BYTES / count) { // count * stride > MAX_OPS_BYTES; both are u32, the product may not fit a long
            throw KernelException.of(Errno.ENOMEM);
        }
        long array = (long) PanthorVm.Bind.OPS_ARRAY.get(arg);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ops = arena.allocate(count * OP_SIZE);
            MemorySegment extra = stride > OP_SIZE ? arena.allocate(stride - OP_SIZE) : null;
            for (long i = 0; i < count; i++) {
                if (!task.copyFromUser(ops, i * OP_SIZE, array + i * stride, OP_SIZE)) {
                    throw KernelException.of(Errno.EFAULT);
                }
                if (extra != null) {
                    if (!task.copyFromUser(extra, 0, array + i * stride + OP_SIZE, extra.byteSize())) {
                        throw KernelException.of(Errno.EFAULT);
                    }
                    if (!allZero(extra)) {
                        throw new KernelException(Errno.E2BIG, "non-zero bytes past drm_panthor_vm_bind_op");
                    }
                }
            }
            for (long i = 0; i < count; i++) {
                try {
                    execSync(vm, ops.asSlice(i * OP_SIZE, OP_SIZE), file);
                } catch (KernelException e) {
                    PanthorVm.Bind.OPS_COUNT.set(arg, (int) i); // where things failed
                    throw e;
                }
            }
        }
        return 0;
    }

    /// `panthor_vm_bind_exec_sync_op`.
    private static void execSync(TyrUserVm vm, MemorySegment op, DrmFile<TyrFile> file) throws KernelException {
        int flags = (int) PanthorVm.BindOp.FLAGS.get(op);
        long va = (long) PanthorVm.BindOp.VA.get(op);
        long size = (long) PanthorVm.BindOp.SIZE.get(op);
        long boOffset = (long) PanthorVm.BindOp.BO_OFFSET.get(op);
        int handle = (int) PanthorVm.BindOp.BO_HANDLE.get(op);
        if ((int) PanthorVm.BindOp.SYNCS_COUNT.get(op) != 0) {
            throw new KernelException(Errno.EINVAL, "sync ops on a synchronous bind");
        }
        if (size == 0) {
            return;
        }
        switch (flags & PanthorDrm.DRM_PANTHOR_VM_BIND_OP_TYPE_MASK) {
            case PanthorDrm.DRM_PANTHOR_VM_BIND_OP_TYPE_MAP -> {
                if ((flags & ~(PanthorDrm.DRM_PANTHOR_VM_BIND_OP_TYPE_MASK | MAP_FLAGS)) != 0) {
                    throw KernelException.of(Errno.EINVAL);
                }
                GemObject obj = file.gem().lookup(handle);
                if (obj == null) {
                    throw new KernelException(Errno.EINVAL, "no BO " + handle);
                }
                try {
                    if (!(obj instanceof TyrBo bo)) {
                        throw KernelException.of(Errno.EINVAL);
                    }
                    checkRange(vm, va, size, boOffset);
                    if (Long.compareUnsigned(size, bo.size()) > 0 || Long.compareUnsigned(boOffset, bo.size() - size) > 0) {
                        throw new KernelException(Errno.EINVAL, "range beyond the BO");
                    }
                    if (bo.exclusiveVm() != null && bo.exclusiveVm() != vm) {
                        throw new KernelException(Errno.EINVAL, "BO is exclusive to another VM");
                    }
                    vm.map(bo, boOffset, va, size, flags & MAP_FLAGS);
                } finally {
                    obj.put();
                }
            }
            case PanthorDrm.DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP -> {
                if ((flags & ~PanthorDrm.DRM_PANTHOR_VM_BIND_OP_TYPE_MASK) != 0 || handle != 0 || boOffset != 0) {
                    throw KernelException.of(Errno.EINVAL);
                }
                checkRange(vm, va, size, 0);
                vm.unmap(va, size);
            }
            default -> throw new KernelException(Errno.EINVAL, "bind op type 0x" + Integer.toHexString(flags >>> 28));
        }
    }

    private static boolean allZero(MemorySegment s) {
        for (long i = 0; i < s.byteSize(); i++) {
            if (s.get(ValueLayout.JAVA_BYTE, i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static void checkRange(TyrUserVm vm, long va, long size, long boOffset) throws KernelException {
        if (((va | size | boOffset) & (MaliPte.PAGE_SIZE - 1)) != 0) {
            throw new KernelException(Errno.EINVAL, "unaligned bind op");
        }
        if (Long.compareUnsigned(size, vm.userVaEnd()) > 0 || Long.compareUnsigned(va, vm.userVaEnd() - size) > 0) {
            throw new KernelException(Errno.EINVAL, "bind op outside the user VA range");
        }
    }
}
