/// **Machine substrate: simulated time.** A discrete-event scheduler with clock domains. Events run on one clock thread; other threads wait against simulated time. Fast mode skips idle time; paced mode tracks wall time. Event order is deterministic: by time, then by scheduling order.
package dev.gpuemu.machine.time;
