package dev.gpuemu.kernel.drivers.tyr;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.drivers.tyr.mmu.TyrVm;
import dev.gpuemu.kernel.uapi.Errno;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/// A user VM of one file (`struct panthor_vm` created by `VM_CREATE`): the MMU-level [TyrVm] page
/// tables over the GPU's whole VA space, split as panthor splits it into the user range
/// `[0, userVaEnd)` (where `VM_BIND` maps) and the kernel range above (for kernel objects), plus
/// the GEM mappings (drm_gpuva) that keep their BOs alive and pinned.
///
/// Mapping over an existing range replaces what is there (drm_gpuvm's remap); unmapping a part
/// of a mapping splits it, each piece keeping its own BO reference and pin.
///
/// ## Invariants
/// Mappings never overlap; each holds one BO reference and one pin; the page tables map exactly
/// the mapped ranges.
///
/// ## Thread safety
/// Mapping changes are serialised on this object (panthor's `op_lock`).
///
/// ## Lifecycle
/// created by `VM_CREATE` → [#destroy] once (`VM_DESTROY`, file close): mappings released, page
/// tables freed (the MMU frees them itself at unbind; destroy then only drops the BOs).
public final class TyrUserVm {
    /// One BO range mapped at `va`.
    private record Mapping(long va, long size, TyrBo bo, long boOffset, int flags) {
        long end() {
            return va + size;
        }
    }

    private final TyrVm vm;
    private final long userVaEnd;
    private final TreeMap<Long, Mapping> mappings = new TreeMap<>();
    private boolean destroyed;

    TyrUserVm(TyrVm vm, long userVaEnd) {
        this.vm = vm;
        this.userVaEnd = userVaEnd;
    }

    /// The MMU-level VM.
    public TyrVm vm() {
        return vm;
    }

    /// End of the user VA range (`user_va_range` as VM_CREATE answers it).
    public long userVaEnd() {
        return userVaEnd;
    }

    /// Whether an MMU fault made the VM unusable.
    public boolean isUnusable() {
        return vm.isUnusable();
    }

    /// Number of GEM mappings (after splits).
    public synchronized int mappingCount() {
        return mappings.size();
    }

    /// Maps `[boOffset, boOffset + size)` of `bo` at `va` (page-aligned, in the user range,
    /// checked by the caller), replacing whatever was mapped there.
    synchronized void map(TyrBo bo, long boOffset, long va, long size, int flags) throws KernelException {
        requireAlive();
        if (vm.isUnusable()) {
            throw new KernelException(Errno.EINVAL, vm + " is unusable");
        }
        bo.get();
        try {
            bo.pin();
        } catch (KernelException | RuntimeException e) {
            bo.put();
            throw e;
        }
        try {
            unmapLocked(va, size);
            vm.map(va, bo.pageAddresses(boOffset, size), flags);
        } catch (KernelException | RuntimeException e) {
            bo.unpin();
            bo.put();
            throw e;
        }
        mappings.put(va, new Mapping(va, size, bo, boOffset, flags));
    }

    /// Unmaps `[va, va + size)`; ranges with nothing mapped are skipped.
    synchronized void unmap(long va, long size) throws KernelException {
        requireAlive();
        unmapLocked(va, size);
    }

    private void unmapLocked(long va, long size) throws KernelException {
        long end = va + size;
        List<Mapping> hit = new ArrayList<>();
        Map.Entry<Long, Mapping> before = mappings.lowerEntry(va);
        if (before != null && before.getValue().end() > va) {
            hit.add(before.getValue());
        }
        hit.addAll(mappings.subMap(va, true, end, false).values());
        if (hit.isEmpty()) {
            return;
        }
        for (Mapping m : hit) { // only mapped pages are walked: the range may span the whole VA space
            long from = Math.max(m.va(), va);
            vm.unmap(from, Math.min(m.end(), end) - from);
        }
        for (Mapping m : hit) {
            mappings.remove(m.va());
            if (m.va() < va) { // the left piece stays mapped
                keepPiece(m, m.va(), va - m.va());
            }
            if (m.end() > end) { // the right piece stays mapped
                keepPiece(m, end, m.end() - end);
            }
            m.bo().unpin();
            m.bo().put();
        }
    }

    /// Re-registers `[va, va + size)` of mapping `m` (its page tables are untouched), with its own
    /// BO reference and pin.
    private void keepPiece(Mapping m, long va, long size) throws KernelException {
        m.bo().get();
        m.bo().pin();
        mappings.put(va, new Mapping(va, size, m.bo(), m.boOffset() + (va - m.va()), m.flags()));
    }

    /// Releases every mapping (their BOs) and the page tables unless the MMU already freed them.
    synchronized void destroy() {
        if (destroyed) {
            throw new IllegalStateException(vm + " already destroyed");
        }
        destroyed = true;
        for (Mapping m : mappings.values()) {
            m.bo().unpin();
            m.bo().put();
        }
        mappings.clear();
        vm.destroyIfAlive();
    }

    public synchronized boolean isDestroyed() {
        return destroyed;
    }

    private void requireAlive() throws KernelException {
        if (destroyed || vm.isDestroyed()) {
            throw new KernelException(Errno.EINVAL, vm + " is destroyed");
        }
    }

    @Override
    public String toString() {
        return "user " + vm;
    }
}
