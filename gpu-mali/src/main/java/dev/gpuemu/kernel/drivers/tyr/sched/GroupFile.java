package dev.gpuemu.kernel.drivers.tyr.sched;

/// What the `GROUP_*` ioctls need from the driver's per-file state: its group pool. `TyrFile`
/// implements it (one field, see [FileGroups]).
public interface GroupFile {
    /// The file's groups.
    FileGroups groups();
}
