/// **Kernel world: synchronisation.** SRCU, Revocable and completions. Waits on the device are expressed in simulated time; grace periods are real-time waits for real reader threads.
package dev.gpuemu.kernel.sync;
