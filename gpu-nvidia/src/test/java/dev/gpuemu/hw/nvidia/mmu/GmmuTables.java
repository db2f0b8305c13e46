package dev.gpuemu.hw.nvidia.mmu;

import dev.gpuemu.machine.mem.SystemMemory;
import dev.gpuemu.regs.nvidia.GmmuPde;
import dev.gpuemu.regs.nvidia.GmmuPte;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/// Test support: builds version-2 page tables the way a driver would, from `regs.nvidia`
/// encoders only, in VRAM (aperture VIDEO) or in system memory (SYS_COH), allocating table pages
/// from a bump pointer.
public final class GmmuTables {
    private static final ValueLayout.OfLong LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment vram;
    private final SystemMemory sysmem;
    private final boolean inSystem;
    private long next;
    private final long pdb;

    /// Tables in VRAM (`sysmem == null`) or system memory, from `firstTable` upwards.
    public GmmuTables(MemorySegment vram, SystemMemory sysmem, boolean inSystem, long firstTable) {
        this.vram = vram;
        this.sysmem = sysmem;
        this.inSystem = inSystem;
        this.next = firstTable;
        this.pdb = alloc();
    }

    public long pdb() {
        return pdb;
    }

    public int aperture() {
        return inSystem ? GmmuPde.APERTURE_SYSTEM_COHERENT_MEMORY : GmmuPde.APERTURE_VIDEO_MEMORY;
    }

    /// Maps the 4 KiB page at `va` to `pa` (`system`: in system memory).
    public void map(long va, long pa, boolean system, boolean readOnly) {
        long pd2 = table(pdb + GmmuPde.pde3Index(va) * 8L, 0);
        long pd1 = table(pd2 + GmmuPde.pde2Index(va) * 8L, 0);
        long pd0 = table(pd1 + GmmuPde.pde1Index(va) * 8L, 0);
        long pt = table(pd0 + GmmuPde.pde0Index(va) * 16L, 8);
        int ap = system ? GmmuPte.APERTURE_SYSTEM_COHERENT_MEMORY : GmmuPte.APERTURE_VIDEO_MEMORY;
        put(pt + GmmuPde.pteIndex(va) * 8L, GmmuPte.encode(ap, pa, readOnly));
    }

    /// Maps `bytes` (page multiple) at `va` to contiguous `pa`.
    public void mapRange(long va, long pa, long bytes, boolean system, boolean readOnly) {
        for (long o = 0; o < bytes; o += GmmuPde.PAGE_SIZE) {
            map(va + o, pa + o, system, readOnly);
        }
    }

    /// Raw write of a table entry (to build malformed tables).
    public void put(long addr, long value) {
        if (inSystem) {
            sysmem.direct(addr, 8).set(LE, 0, value);
        } else {
            vram.set(LE, addr, value);
        }
    }

    public long get(long addr) {
        return inSystem ? sysmem.direct(addr, 8).get(LE, 0) : vram.get(LE, addr);
    }

    /// The table the entry at `slot` (+`half` for a dual PDE's small half) points at, created if
    /// absent.
    private long table(long slot, int half) {
        long e = get(slot + half);
        if (GmmuPde.aperture(e) != GmmuPde.APERTURE_INVALID) {
            return GmmuPde.tableAddress(e);
        }
        long t = alloc();
        put(slot + half, GmmuPde.encode(aperture(), t, false));
        return t;
    }

    private long alloc() {
        long t = next;
        next += GmmuPde.PAGE_SIZE;
        return t;
    }
}
