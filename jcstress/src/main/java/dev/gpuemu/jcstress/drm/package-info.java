/// The shared rig of the DRM jcstress tests (a booted machine and a bound parent device). The
/// tests themselves sit in `dev.gpuemu.kernel.drm`, next to the package-private device state.
package dev.gpuemu.jcstress.drm;
