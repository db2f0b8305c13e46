/// **Kernel world: DRM ioctl tables.** Driver ioctls are declared as [IoctlDesc] records and
/// collected into an [IoctlTable], which validates them once when built: numbers contiguous from
/// `DRM_COMMAND_BASE` (0x40), type `'d'`, and the argument size in each command equal to its
/// struct layout's size (the checks `declare_drm_ioctls!` makes at compile time).
package dev.gpuemu.kernel.drm.ioctl;
