package dev.gpuemu.kernel.drivers.nova.drm;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.drivers.nova.core.VramAllocation;
import dev.gpuemu.kernel.drm.gem.GemDevice;
import dev.gpuemu.kernel.drm.gem.GemObjectFuncs;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.vfs.Vma;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;

/// A VRAM nova object (`GPUEMU_GEM_CREATE` with `NOVA_GPUEMU_GEM_CREATE_VRAM`): owns a
/// [VramAllocation] from nova-core. CPU mmaps go through BAR1 (the fault handler installs the
/// allocation's BAR1 page).
///
/// ## Invariants
/// The allocation is returned exactly once: at the object's free, or at nova-drm's unbind
/// ([#revoke]), whichever comes first. After revoke the CPU mappings are zapped and later faults
/// SIGBUS; the GEM object itself lives on until its last reference.
///
/// ## Thread safety
/// Thread-safe.
///
/// ## Lifecycle
/// created while bound → revoked at unbind (optional) → freed at its last reference.
public final class NovaVramBo extends dev.gpuemu.kernel.drm.gem.GemObject {
    private final VramAllocation vram;
    private final NovaRegistration owner;
    private final AtomicBoolean released = new AtomicBoolean();

    NovaVramBo(GemDevice dev, NovaRegistration owner, VramAllocation vram) throws KernelException {
        super(dev, vram.size(), GemObjectFuncs.NONE);
        this.vram = vram;
        this.owner = owner;
    }

    /// The VRAM behind it; only valid while bound (callers are inside a registration guard).
    VramAllocation vram() {
        return vram;
    }

    /// nova-drm's unbind: zap CPU mappings, then return the VRAM (nova-core is still bound).
    void revoke() {
        boolean mine;
        resv().lock();
        try {
            mine = released.compareAndSet(false, true); // faults see it under resv from here
            zapMappings();
        } finally {
            resv().unlock();
        }
        if (mine) {
            vram.close();
        }
    }

    boolean isRevoked() {
        return released.get();
    }

    private void releaseVram() {
        if (released.compareAndSet(false, true)) {
            vram.close();
        }
    }

    @Override
    protected void free() {
        owner.forget(this);
        releaseVram();
    }

    @Override
    protected int mmap(Vma vma) {
        if (vma.isCow()) {
            return Errno.EINVAL.negative();
        }
        return released.get() ? Errno.ENODEV.negative() : 0;
    }

    @Override
    protected MemorySegment fault(long pageIndex) {
        resv().lock();
        try {
            if (pageIndex < 0 || pageIndex >= pages() || released.get()) {
                return null;
            }
            return vram.page(pageIndex);
        } finally {
            resv().unlock();
        }
    }

    @Override
    public String toString() {
        return "nova vram bo 0x" + Long.toHexString(vram.offset()) + "+0x" + Long.toHexString(size());
    }
}
