package dev.gpuemu.kernel.drivers.nova.drm;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.drivers.nova.core.NovaVm;
import dev.gpuemu.kernel.drm.gem.GemObject;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.nova.NovaGpuemu;
import java.util.Map;
import java.util.TreeMap;

/// A file's GPU VM (`GPUEMU_VM_CREATE`): nova-core's [NovaVm] plus the mappings userspace made
/// (each holds a reference on its object, and a pin for system memory) and the kernel's shadow
/// pushbuffer range `[NOVA_GPUEMU_VA_END, NovaVm.KERNEL_VA_START)` (4 GiB below nova-core's kernel
/// range, so shadows end below `NovaVm.PUSHBUFFER_VA_END`).
///
/// ## Invariants
/// User mappings lie in `[NOVA_GPUEMU_VA_START, NOVA_GPUEMU_VA_END)` and never overlap; shadow
/// mappings lie in `[SHADOW_START, SHADOW_END)`. Released once: by `VM_DESTROY`, the file's close,
/// or nova-drm's unbind, whichever comes first; later calls are no-ops or `ENODEV`.
///
/// ## Thread safety
/// Every method synchronises on this object.
///
/// ## Lifecycle
/// created → released (mappings dropped, [NovaVm] closed).
final class NovaUserVm {
    static final long SHADOW_START = NovaGpuemu.NOVA_GPUEMU_VA_END;
    static final long SHADOW_END = NovaVm.KERNEL_VA_START;
    private static final long PAGE = NovaVm.PAGE_SIZE;

    private record Mapping(long va, long range, GemObject obj) {
    }

    private final NovaVm vm;
    private final NovaRegistration reg;
    private final TreeMap<Long, Mapping> mappings = new TreeMap<>();
    private final TreeMap<Long, NovaBo> shadows = new TreeMap<>();
    private int channels;
    private boolean released;

    NovaUserVm(NovaVm vm, NovaRegistration reg) {
        this.vm = vm;
        this.reg = reg;
        reg.track(this);
    }

    NovaVm vm() {
        return vm;
    }

    /// `VM_BIND` MAP: checks are the caller's except overlap (`EEXIST`). Takes a reference (and a
    /// pin for system memory) held until the mapping goes.
    synchronized void map(GemObject obj, long offset, long va, long range, boolean readOnly) throws KernelException {
        live();
        Map.Entry<Long, Mapping> below = mappings.floorEntry(va + range - 1);
        if (below != null && below.getValue().va() + below.getValue().range() > va) {
            throw new KernelException(Errno.EEXIST, "VA 0x" + Long.toHexString(va) + " overlaps a mapping");
        }
        NovaVm.Target target = target(obj, offset, range);
        try {
            vm.map(va, range, target, readOnly);
        } catch (KernelException | RuntimeException e) {
            unpin(obj);
            throw e;
        }
        obj.get();
        mappings.put(va, new Mapping(va, range, obj));
    }

    /// `VM_BIND` UNMAP: exactly one whole mapping (`ENOENT` otherwise).
    synchronized void unmap(long va, long range) throws KernelException {
        live();
        Mapping m = mappings.get(va);
        if (m == null || m.range() != range) {
            throw new KernelException(Errno.ENOENT, "no mapping at 0x" + Long.toHexString(va) + "+0x"
                    + Long.toHexString(range));
        }
        vm.unmap(va, range);
        mappings.remove(va);
        drop(m.obj());
    }

    /// Maps a kernel shadow object read-only in the shadow range; returns its VA.
    synchronized long mapShadow(NovaBo bo) throws KernelException {
        live();
        long size = bo.size();
        long va = SHADOW_START;
        for (Map.Entry<Long, NovaBo> e : shadows.entrySet()) {
            if (e.getKey() - va >= size) {
                break;
            }
            va = e.getKey() + e.getValue().size();
        }
        if (va > SHADOW_END - size) {
            throw new KernelException(Errno.ENOMEM, "shadow pushbuffer range full");
        }
        vm.map(va, size, target(bo, 0, size), true);
        bo.get();
        shadows.put(va, bo);
        return va;
    }

    /// Unmaps a shadow mapped by [#mapShadow] and drops its references (no-op once released).
    synchronized void unmapShadow(long va, NovaBo bo) {
        if (released || shadows.remove(va) != bo) {
            return;
        }
        try {
            vm.unmap(va, bo.size());
        } catch (KernelException e) {
            throw new IllegalStateException("unmapping a shadow the kernel mapped failed", e);
        }
        drop(bo);
    }

    synchronized void addChannel() throws KernelException {
        live();
        channels++;
    }

    synchronized void removeChannel() {
        channels--;
    }

    synchronized int channelCount() {
        return channels;
    }

    synchronized boolean isReleased() {
        return released;
    }

    /// Drops every mapping (user and shadow) and closes the [NovaVm]; once (later calls do
    /// nothing).
    synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        reg.forget(this);
        vm.close(); // unmaps everything in the device's tables
        for (Mapping m : mappings.values()) {
            drop(m.obj());
        }
        mappings.clear();
        shadows.values().forEach(NovaUserVm::drop);
        shadows.clear();
    }

    synchronized int mappingCount() {
        return mappings.size();
    }

    private void live() throws KernelException {
        if (released) {
            throw new KernelException(Errno.ENODEV, "VM released");
        }
    }

    private static NovaVm.Target target(GemObject obj, long offset, long range) throws KernelException {
        if (obj instanceof NovaVramBo v) {
            return new NovaVm.Vram(v.vram(), offset);
        }
        if (obj instanceof NovaBo s) {
            s.pin();
            try {
                NovaVm.SysPages all = NovaVm.SysPages.of(s.getPagesSgt());
                long[] pages = all.dmaAddresses();
                long[] slice = new long[(int) (range / PAGE)];
                System.arraycopy(pages, (int) (offset / PAGE), slice, 0, slice.length);
                return new NovaVm.SysPages(slice);
            } catch (KernelException | RuntimeException e) {
                s.unpin();
                throw e;
            }
        }
        throw new KernelException(Errno.EINVAL, obj + " is not a nova object");
    }

    private static void unpin(GemObject obj) {
        if (obj instanceof NovaBo s) {
            s.unpin();
        }
    }

    private static void drop(GemObject obj) {
        unpin(obj);
        obj.put();
    }
}
