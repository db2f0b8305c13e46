package dev.gpuemu.kernel.vfs;

import dev.gpuemu.kernel.KernelException;

/// A character device node registered in `DevFs` (`cdev` plus its `open`).
///
/// ## Thread safety
/// `open` may run concurrently.
public interface CharDev {
    /// Opens the node for `task`: returns a new open file (reference count 1, owned by the caller,
    /// which installs it in the fd table) or throws with the errno open(2) reports.
    KFile open(Task task, int flags) throws KernelException;
}
