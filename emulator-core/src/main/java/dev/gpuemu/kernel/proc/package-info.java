/// **Kernel world: emulated processes.** A [Process] is the syscall surface a userspace program
/// calls (`kernel.uapi.Syscalls`) and the kernel's `current` (`kernel.vfs.Task`): an fd table
/// of open files and an address space ([Mm]) of anonymous memory and fault-driven file mappings,
/// which user code reads and writes through `UserMemory` and drivers through
/// `copy_from_user`/`copy_to_user`.
package dev.gpuemu.kernel.proc;
