package dev.gpuemu.kernel.driver;

/// Device contexts: proof types for what is guaranteed about a device while a [Device] view of
/// that context is held (Rust `device::DeviceContext`).
///
/// - [Normal]: a reference to the device; nothing is guaranteed about its binding.
/// - [Bound]: the device is bound to a driver for as long as the view is valid.
/// - [Core]: the view handed to a bus callback (probe, unbind); valid only during the callback.
///   Core implies Bound, so APIs that need a bound device accept `Device<? extends Bound>`.
///
/// The markers are never instantiated; they only appear as type arguments.
public sealed interface DeviceContext permits Normal, Bound {
}
