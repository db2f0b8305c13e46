package dev.gpuemu.kernel.driver;

/// The context of a bus callback (probe, unbind). Implies [Bound]. A `Device<Core>` view is
/// invalidated when the callback returns: never store it.
public non-sealed interface Core extends Bound {
}
