/// **Kernel world: tyr scheduler**: panthor_sched.c simplified: scheduling groups and their
/// queues (kernel ring buffers in the group's VM, ring pointer pages in the MCU's VM), CSG slot
/// binding through the firmware's CSG/CS interfaces, job submission (a `CALL` of the user's
/// stream plus a `SYNC_ADD64` on a kernel sync object per job), completion and fault handling
/// from the `job` interrupt, and the `GROUP_*` ioctls.
package dev.gpuemu.kernel.drivers.tyr.sched;
