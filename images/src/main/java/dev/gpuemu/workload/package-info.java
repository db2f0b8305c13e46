/// **Composition root: workload scripts.** The parser and interpreter of the workload language
/// (docs/workloads.md): a device layer that drives the machine substrate like QEMU's qtest, a
/// userspace layer that goes only through `dev.gpuemu.kernel.uapi` like an IGT test, and a
/// control layer that writes sysfs like a shell script.
package dev.gpuemu.workload;
