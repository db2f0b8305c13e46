/// **Kernel world: files and mappings (the VFS slice the DRM stack needs).** Open files
/// (`KFile`, `struct file`) with their operations ([FileOps]), character device nodes under
/// `/dev` ([CharDev], `DevFs`), per-process VMAs ([Vma]) with fault-driven page tables
/// ([VmaOps]), and file mappings (`FileMapping`, `struct address_space`) whose page table entries
/// a driver can zap.
package dev.gpuemu.kernel.vfs;
