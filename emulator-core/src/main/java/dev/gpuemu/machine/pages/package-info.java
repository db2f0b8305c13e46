/// **Machine substrate: the page engine.** One set of page operations (zero, fill, copy, compare,
/// is-zero, pattern fill/verify, CRC32C, pixel swizzle, GPU tiling) shared by GEM/shmem, DMA and
/// both GPUs' copy and compute engines: a Vector API implementation for speed and a scalar
/// reference implementation that tests hold it to.
package dev.gpuemu.machine.pages;
