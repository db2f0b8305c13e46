package dev.gpuemu.kernel.drivers.tyr.sched;

/// The VMs of one open file (`panthor_vm_pool_get_vm`): how `GROUP_CREATE` finds `vm_id`.
/// Implemented by the file's VM pool (`TyrFile`).
@FunctionalInterface
public interface VmLookup {
    /// The VM with id `vmId`, or null when the file has none.
    GroupVm find(int vmId);
}
