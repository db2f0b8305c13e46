/// **The GA102's host block**: channels (GPFIFO fetch, pushbuffer method decoding), the
/// `AMPERE_DMA_COPY_A` copy engine with semaphores, and the cost model that gives their work
/// simulated time. Built by the GA102 top through `Function<NvHwPorts, HostEngine>` ([NvHost#new]).
package dev.gpuemu.hw.nvidia.host;
