package dev.gpuemu.kernel.driver;

/// The general-purpose device context: a counted reference with no guarantee about binding.
public non-sealed interface Normal extends DeviceContext {
}
