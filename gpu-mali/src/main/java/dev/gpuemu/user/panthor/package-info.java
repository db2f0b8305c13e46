/// The panthor userspace client library: [dev.gpuemu.user.panthor.PanthorClient] (the panthor
/// ioctls over a DRM fd), [dev.gpuemu.user.panthor.CsBuilder] (a Mesa `cs_builder`-style encoder
/// of the modelled command-stream instructions) and [dev.gpuemu.user.panthor.KernelDesc] (the
/// built-in compute kernel descriptor). Userspace: it reaches the kernel only through
/// `dev.gpuemu.kernel.uapi..` and keeps its own copy of the hardware encodings, as Mesa keeps
/// its genxml.
package dev.gpuemu.user.panthor;
