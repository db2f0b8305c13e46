package dev.gpuemu.kernel.drm;

/// Per-binding driver state of a registered DRM device (Rust `drm::Driver::RegistrationData`):
/// MMIO mappings, IRQ registrations and anything else that must not outlive the parent's binding.
///
/// It is reachable only inside a [RegistrationGuard] (as the `data` argument of a driver ioctl, or
/// through [RegisteredDevice#registrationDataWith]). [#close] runs once, after unplug completed:
/// no guard is open and none can be opened.
///
/// ## Thread safety
/// Implementations must be thread-safe for concurrent guarded ioctls.
public interface RegistrationData extends AutoCloseable {
    /// Frees per-binding state. Called exactly once, after unplug; must not throw.
    @Override
    default void close() {
    }
}
