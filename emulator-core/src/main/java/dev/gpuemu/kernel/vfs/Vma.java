package dev.gpuemu.kernel.vfs;

/// `vm_area_struct`: one mapping of a process's address space. Created by the memory manager;
/// a driver's `mmap` only reads it and installs its [VmaOps] and private data.
///
/// ## Invariants
/// `start` and `end` are page aligned, `start < end`; `pgoff` is in pages.
///
/// ## Thread safety
/// The geometry is immutable once inserted; `setOps`/`setPrivateData` only during `FileOps.mmap`.
public interface Vma {
    long start();

    long end();

    default long length() {
        return end() - start();
    }

    default long pages() {
        return length() >>> 12;
    }

    /// Offset into the file in pages (`vm_pgoff`).
    long pgoff();

    /// `PROT_*` bits.
    int prot();

    /// `MAP_SHARED` or `MAP_PRIVATE`, plus other `MAP_*` bits.
    int flags();

    /// Whether this is a private writable (copy-on-write) mapping.
    default boolean isCow() {
        return (flags() & dev.gpuemu.kernel.uapi.Fcntl.MAP_SHARED) == 0
                && (prot() & dev.gpuemu.kernel.uapi.Fcntl.PROT_WRITE) != 0;
    }

    /// The mapped file; null for anonymous memory.
    KFile file();

    void setOps(VmaOps ops);

    Object privateData();

    void setPrivateData(Object data);
}
