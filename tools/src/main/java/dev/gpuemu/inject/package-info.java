/// `gpuemu inject`: unbind injection under load with an invariant checker.
///
/// An [Injector] runs seeded userspace load ([LoadThread]s, each a simulated-time participant
/// with its own process and open file) against one DRM device while it unbinds and rebinds the
/// device (or PCI-removes and rescans it, or makes its next probe fail after the render node
/// became visible) at random points. The [Checker] holds the eight invariants of the issue and
/// records each violation with its step; [InjectResult] is the report (text and JSON).
///
/// [PlantedDriver] is a deliberately broken test driver (and its fixed twin) that proves the
/// checker catches a driver touching a bound-scoped resource outside its `RegistrationGuard`.
package dev.gpuemu.inject;
