/// Userspace for nova: [dev.gpuemu.user.nova.NovaClient], a typed client of the nova uAPI
/// (upstream ioctls and gpuemu's extension), and [dev.gpuemu.user.nova.NvPush], a pushbuffer
/// builder for the copy class using the shared register data (`regs.nvidia`).
package dev.gpuemu.user.nova;
