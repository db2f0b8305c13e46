package dev.gpuemu.hw.nvidia.mmu;

import static dev.gpuemu.regs.nvidia.NvHostRegs.ACCESS_VIRT_READ;
import static dev.gpuemu.regs.nvidia.NvHostRegs.ACCESS_VIRT_WRITE;
import static dev.gpuemu.regs.nvidia.NvHostRegs.FAULT_TYPE_PDE;
import static dev.gpuemu.regs.nvidia.NvHostRegs.FAULT_TYPE_PDE_SIZE;
import static dev.gpuemu.regs.nvidia.NvHostRegs.FAULT_TYPE_PTE;
import static dev.gpuemu.regs.nvidia.NvHostRegs.FAULT_TYPE_RO_VIOLATION;
import static dev.gpuemu.regs.nvidia.NvHostRegs.FAULT_TYPE_UNSUPPORTED_APERTURE;
import static dev.gpuemu.regs.nvidia.NvHostRegs.FAULT_TYPE_VA_LIMIT_VIOLATION;

import dev.gpuemu.machine.mem.DmaPort;
import dev.gpuemu.regs.nvidia.GmmuPde;
import dev.gpuemu.regs.nvidia.GmmuPte;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/// The GA102's GMMU: translates a 49-bit GPU VA through the version-2 page tables of one VM
/// ([GmmuPde], [GmmuPte]), reading every table entry from VRAM (aperture VIDEO, a plain
/// little-endian read of the VRAM segment) or system memory (SYS_COH / SYS_NCOH, through the
/// device's [DmaPort], so bus mastering and the DMA mask apply) on each call.
///
/// ## Result encoding
/// [#translate] returns [#FAULT] or a packed physical address: bits 53:0 the byte address, bit 63
/// set for system memory ([#isSystem], [#address]). A video-memory result always lies inside the
/// VRAM segment (a PTE past its end faults as an invalid PTE).
///
/// ## Faults
/// VA at or above 2^49: `VA_LIMIT_VIOLATION`. A directory entry with aperture INVALID, a table
/// outside VRAM or refused by the DMA port: `PDE`. Huge pages (`IS_PTE` in PDE3..PDE0) and a PDE0
/// whose small half is invalid but big half valid (64 KiB pages are not modelled): `PDE_SIZE`.
/// PTE not VALID or past the end of VRAM: `PTE`; PEER aperture: `UNSUPPORTED_APERTURE`; a write
/// to a READ_ONLY page: `RO_VIOLATION`.
///
/// ## Thread safety
/// Stateless apart from its ports; callers (the host, under the device lock) own the
/// [GmmuFault] they pass. The translate path allocates nothing.
public final class Gmmu {
    /// Returned by [#translate] on a fault.
    public static final long FAULT = -1L;
    private static final long SYSTEM_BIT = 1L << 63;
    private static final ValueLayout.OfLong LE_LONG =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment vram;
    private final DmaPort sysmem;

    /// @param vram the whole VRAM (offset = VRAM physical address)
    /// @param sysmem DMA into system memory
    public Gmmu(MemorySegment vram, DmaPort sysmem) {
        this.vram = Objects.requireNonNull(vram, "vram");
        this.sysmem = Objects.requireNonNull(sysmem, "sysmem");
    }

    /// Whether a [#translate] result is in system memory (else VRAM).
    public static boolean isSystem(long result) {
        return (result & SYSTEM_BIT) != 0;
    }

    /// The byte address of a [#translate] result.
    public static long address(long result) {
        return result & ~SYSTEM_BIT;
    }

    /// Packs a physical address for the same consumers as [#translate]'s results.
    public static long physical(boolean system, long address) {
        return system ? address | SYSTEM_BIT : address;
    }

    /// Translates `va` for a read or a write.
    ///
    /// @param pdb the page directory (level 3) base, 4 KiB aligned
    /// @param pdbAperture the PDB's aperture, encoded like a PDE's
    /// @param va the GPU virtual address
    /// @param write whether the access writes
    /// @param fault where a fault is recorded (untouched on success)
    /// @return the packed physical address, or [#FAULT]
    public long translate(long pdb, int pdbAperture, long va, boolean write, GmmuFault fault) {
        int access = write ? ACCESS_VIRT_WRITE : ACCESS_VIRT_READ;
        if (va < 0 || (va >>> GmmuPde.VA_BITS) != 0) {
            fault.set(va, FAULT_TYPE_VA_LIMIT_VIOLATION, access);
            return FAULT;
        }
        int aperture = pdbAperture;
        long table = pdb;
        // PDE3, PDE2, PDE1: plain directory entries.
        for (int level = 3; level >= 1; level--) {
            int index = level == 3 ? GmmuPde.pde3Index(va) : level == 2 ? GmmuPde.pde2Index(va) : GmmuPde.pde1Index(va);
            long pde = readEntry(aperture, table + (long) index * GmmuPde.PDE_SIZE);
            if (pde == FAULT_ENTRY) {
                fault.set(va, FAULT_TYPE_PDE, access);
                return FAULT;
            }
            if (GmmuPde.isPte(pde)) {
                fault.set(va, FAULT_TYPE_PDE_SIZE, access);
                return FAULT;
            }
            aperture = GmmuPde.aperture(pde);
            if (aperture == GmmuPde.APERTURE_INVALID) {
                fault.set(va, FAULT_TYPE_PDE, access);
                return FAULT;
            }
            table = GmmuPde.tableAddress(pde);
        }
        // PDE0: dual entry, big half at +0, small half at +8.
        long dual = table + (long) GmmuPde.pde0Index(va) * GmmuPde.DUAL_PDE_SIZE;
        long big = readEntry(aperture, dual);
        long small = big == FAULT_ENTRY ? FAULT_ENTRY : readEntry(aperture, dual + 8);
        if (small == FAULT_ENTRY) {
            fault.set(va, FAULT_TYPE_PDE, access);
            return FAULT;
        }
        if (GmmuPde.isPte(big)) {
            fault.set(va, FAULT_TYPE_PDE_SIZE, access);
            return FAULT;
        }
        int smallAperture = GmmuPde.aperture(small);
        if (smallAperture == GmmuPde.APERTURE_INVALID) {
            fault.set(va, GmmuPde.aperture(big) != GmmuPde.APERTURE_INVALID ? FAULT_TYPE_PDE_SIZE : FAULT_TYPE_PDE,
                    access);
            return FAULT;
        }
        long pte = readEntry(smallAperture, GmmuPde.tableAddress(small) + (long) GmmuPde.pteIndex(va) * GmmuPte.SIZE);
        if (pte == FAULT_ENTRY || !GmmuPte.isValid(pte)) {
            fault.set(va, FAULT_TYPE_PTE, access);
            return FAULT;
        }
        int pteAperture = GmmuPte.aperture(pte);
        if (pteAperture == GmmuPte.APERTURE_PEER_MEMORY) {
            fault.set(va, FAULT_TYPE_UNSUPPORTED_APERTURE, access);
            return FAULT;
        }
        if (write && GmmuPte.isReadOnly(pte)) {
            fault.set(va, FAULT_TYPE_RO_VIOLATION, access);
            return FAULT;
        }
        long pa = GmmuPte.pageAddress(pte) | (va & (GmmuPde.PAGE_SIZE - 1));
        if (pteAperture == GmmuPte.APERTURE_VIDEO_MEMORY) {
            if (GmmuPte.pageAddress(pte) + GmmuPde.PAGE_SIZE > vram.byteSize()) {
                fault.set(va, FAULT_TYPE_PTE, access);
                return FAULT;
            }
            return pa;
        }
        return pa | SYSTEM_BIT;
    }

    /// Marker for an unreadable entry: all ones is not a valid PDE/PTE gpuemu accepts anyway
    /// (IS_PTE/VALID with PEER aperture and every flag set), so it doubles as "read failed".
    private static final long FAULT_ENTRY = -1L;

    private long readEntry(int aperture, long addr) {
        if (aperture == GmmuPde.APERTURE_VIDEO_MEMORY) {
            if (addr < 0 || addr > vram.byteSize() - 8) {
                return FAULT_ENTRY;
            }
            return vram.get(LE_LONG, addr);
        }
        if (aperture == GmmuPde.APERTURE_INVALID) {
            return FAULT_ENTRY;
        }
        long lo = sysmem.readInt(addr);
        if (lo == DmaPort.FAILED) {
            return FAULT_ENTRY;
        }
        long hi = sysmem.readInt(addr + 4);
        if (hi == DmaPort.FAILED) {
            return FAULT_ENTRY;
        }
        return hi << 32 | lo;
    }
}
