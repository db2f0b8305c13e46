/// **The GA102's GMMU**: version-2 page tables (PDE3..PDE0, PTE) walked in VRAM or system
/// memory on every translation, with NVIDIA's fault codes. No TLB and no host-side copy of guest
/// tables.
package dev.gpuemu.hw.nvidia.mmu;
