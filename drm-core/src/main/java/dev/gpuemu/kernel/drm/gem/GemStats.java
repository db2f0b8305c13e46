package dev.gpuemu.kernel.drm.gem;

/// A snapshot of a [GemDevice]'s counters.
///
/// @param objectsAlive   objects constructed and not yet freed
/// @param objectsCreated objects ever constructed
/// @param bytesAllocated sum of the sizes of live objects
/// @param pagesResident  pool pages held by shmem objects
/// @param warnings       WARNs logged (leaks found at free, bad purges)
public record GemStats(long objectsAlive, long objectsCreated, long bytesAllocated, long pagesResident,
        long warnings) {
}
