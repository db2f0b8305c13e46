package dev.gpuemu.hw.mali;

import java.lang.foreign.MemorySegment;

/// Memory as the GPU's bus masters (MCU, command streams, compute kernels) see it: virtual
/// addresses of an MMU address space, translated by the MMU, backed by system memory.
///
/// Implemented by the MMU; used by the CSF. Faults are the MMU's business: [#translate] records
/// them (`AS_FAULTSTATUS`, `AS_FAULTADDRESS`, the `MMU_IRQ` bit of the space) before answering
/// [#FAULT], and the caller just stops what it was doing (and reports its own exception, e.g. a
/// command stream's `CS_FATAL`).
///
/// ## Thread safety
/// Called on the clock thread (device events) only.
public interface GpuMemory {
    /// Returned by [#translate] when the access faulted.
    long FAULT = -1L;

    /// The physical address of `va` in address space `as` for an access of `accessType`
    /// (`MaliAsReg.ACCESS_READ`, `ACCESS_WRITE`, `ACCESS_EXECUTE`, `ACCESS_ATOMIC`), or [#FAULT]
    /// after recording a translation, permission or access-flag fault. `sourceId` goes into
    /// `AS_FAULTSTATUS[31:16]`.
    long translate(int as, long va, int accessType, int sourceId);

    /// A native segment of system memory at physical `pa`, `length` bytes, not crossing the end
    /// of `pa`'s 4 KiB page; null (and a counted guest error) when the range is not RAM.
    MemorySegment physical(long pa, long length);
}
