package dev.gpuemu.kernel.drivers.nova.core;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.regs.nvidia.Boot0;
import dev.gpuemu.regs.nvidia.Chipset;

/// The registration data nova-core hands its auxiliary device `NovaCore.nova-drm.<id>`: bound
/// access to BAR1 (VRAM), a VRAM allocator, GPU VMs and copy-engine channels.
///
/// nova-drm reads it with `AuxiliaryDevice.registrationData(NovaAuxData.class)` (or the closure
/// form) in its probe and keeps it for the lifetime of its binding; since the child is always
/// unbound before nova-core's driver data drops, nova-drm never observes it revoked while bound.
///
/// ## Invariants
/// Bound-scoped: it lives exactly as long as nova-core's binding. After nova-core's unbind began
/// tearing it down, every method (of this object and of every allocation, VM and channel it
/// created) except `close()` counts an oops and throws `UseAfterUnbindException`. `close()` on a
/// VM, channel or allocation after unbind only marks it closed (its resources were already
/// released by the unbind).
///
/// ## Thread safety
/// Thread-safe.
///
/// ## Lifecycle
/// created by nova-core's probe, before the auxiliary device is added → revoked by nova-core's
/// driver-data drop (after the child was unbound): every channel is stopped first (pending
/// sequence numbers complete with `ECANCELED`), then VMs and allocations are released.
public interface NovaAuxData {
    /// The auxiliary device's module name (`KBUILD_MODNAME` of nova-core).
    String MODNAME = "NovaCore";
    /// The auxiliary device's name.
    String AUX_NAME = "nova-drm";
    /// What nova-drm's id table matches: `modname.name`.
    String MATCH_ID = MODNAME + "." + AUX_NAME;

    /// The chipset nova-core probed.
    Chipset chipset();

    /// The decoded `NV_PMC_BOOT_0`.
    Boot0 boot0();

    /// Length of the parent's PCI BAR1 (`NOVA_GETPARAM_VRAM_BAR_SIZE`).
    long bar1Length();

    /// Total VRAM in bytes (`NV_PFB_PRI_MMU_LOCAL_MEMORY_RANGE`).
    long vramSize();

    /// Bytes the VRAM allocator manages: `[0, usableVramSize())`, everything below the FRTS and
    /// VGA workspace regions (§6.3).
    long usableVramSize();

    /// Bytes of VRAM currently free in the allocator.
    long freeVram();

    /// Allocates `size` bytes of VRAM (rounded up to 4 KiB, 4 KiB aligned; first fit).
    ///
    /// @throws KernelException `EINVAL` for `size <= 0`, `ENOMEM` when no free range is large enough
    VramAllocation allocVram(long size) throws KernelException;

    /// Creates an empty GPU address space (page tables in coherent system memory).
    ///
    /// @throws KernelException `ENOMEM` when the page directory cannot be allocated
    NovaVm createVm() throws KernelException;

    /// Creates a channel on `vm` bound to the copy class (`AMPERE_DMA_COPY_A`), with a kernel-owned
    /// GPFIFO and semaphore mapped in the VM's kernel range. `listener` is told about every
    /// sequence number in order (see [NovaChannel.SeqnoListener]).
    ///
    /// @throws KernelException `EINVAL` for a closed VM or a VM of another device, `EBUSY` when all
    ///         hardware channels are in use, `ENOMEM`, `EIO` when the channel did not come up idle
    NovaChannel createChannel(NovaVm vm, NovaChannel.SeqnoListener listener) throws KernelException;

    /// [#createChannel(NovaVm, NovaChannel.SeqnoListener)] without a listener.
    default NovaChannel createChannel(NovaVm vm) throws KernelException {
        return createChannel(vm, NovaChannel.SeqnoListener.NONE);
    }

    /// Whether the data is still usable (a point check: it may be revoked right after).
    boolean isAlive();
}
