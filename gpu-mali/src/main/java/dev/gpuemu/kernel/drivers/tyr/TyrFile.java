package dev.gpuemu.kernel.drivers.tyr;

/// Tyr's per-open-file state (`File` in file.rs). The device query needs none; VMs, BOs and
/// groups of the full panthor uAPI would live here (not implemented yet, see the package docs).
///
/// ## Thread safety
/// Stateless.
public final class TyrFile {
    TyrFile() {
    }
}
