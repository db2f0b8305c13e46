package dev.gpuemu.kernel.vfs;

import dev.gpuemu.kernel.uapi.Errno;

/// `struct file_operations`: what a driver does for an open file.
///
/// ## Thread safety
/// `ioctl` and `mmap` may run concurrently on several threads for the same file; `release` runs
/// once, after every other call on the file returned.
public interface FileOps {
    /// `unlocked_ioctl`: `arg` is the user address; returns a non-negative result or `-errno`.
    default int ioctl(KFile file, Task task, int cmd, long arg) {
        return Errno.ENOTTY.negative();
    }

    /// `mmap`: called with the new VMA before it is inserted; the driver checks it and sets its
    /// [VmaOps]. Returns 0 or `-errno` (the VMA is then discarded without `VmaOps.close`).
    default int mmap(KFile file, Task task, Vma vma) {
        return Errno.ENODEV.negative();
    }

    /// `release`: the last reference to the open file was dropped (every fd closed, every VMA
    /// unmapped, every kernel reference put). Must not throw.
    void release(KFile file);
}
