package dev.gpuemu.kernel.drivers.tyr.sched;

import dev.gpuemu.kernel.drivers.tyr.mmu.TyrVm;

/// A user VM as a group sees it: the page tables and the VA range reserved for kernel objects
/// (`PANTHOR_VM_KERNEL_AUTO_VA`: the part of the VM above the user's `user_va_range`), where the
/// scheduler maps ring buffers and sync objects.
///
/// @param vm            the VM
/// @param kernelVaStart first byte of the kernel range (page aligned)
/// @param kernelVaEnd   end of the kernel range (exclusive, page aligned)
public record GroupVm(TyrVm vm, long kernelVaStart, long kernelVaEnd) {
    public GroupVm {
        if (vm == null || kernelVaStart >= kernelVaEnd || kernelVaStart < vm.vaStart() || kernelVaEnd > vm.vaEnd()
                || ((kernelVaStart | kernelVaEnd) & 0xFFF) != 0) {
            throw new IllegalArgumentException(String.format("bad kernel VA range 0x%x-0x%x of %s", kernelVaStart,
                    kernelVaEnd, vm));
        }
    }
}
