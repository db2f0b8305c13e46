package dev.gpuemu.hw.nvidia.host;

import dev.gpuemu.hw.nvidia.mmu.Gmmu;
import dev.gpuemu.hw.nvidia.mmu.GmmuFault;
import dev.gpuemu.machine.mem.DmaPort;
import dev.gpuemu.regs.nvidia.GmmuPde;
import dev.gpuemu.regs.nvidia.NvHostRegs;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/// Memory access of one channel's work: words and byte ranges at GPU virtual addresses through
/// the channel's VM ([Gmmu]), or at physical addresses (copy-engine PHYSICAL mode). A failed
/// access leaves its cause in [#fault()] (GMMU fault) or [#busError()] and answers
/// [#FAILED] / false; nothing is thrown for guest mistakes.
///
/// ## Thread safety
/// Not thread-safe: one instance per [NvHost], used under the device lock.
final class VmIo {
    static final long FAILED = Long.MIN_VALUE;
    static final long PAGE = GmmuPde.PAGE_SIZE;
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    // ORDERING: release stores of semaphore payloads into VRAM (pairs with a driver's acquire load).
    private static final VarHandle INT_RELEASE =
            ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

    private final Gmmu gmmu;
    private final MemorySegment vram;
    private final DmaPort sysmem;
    private final GmmuFault fault = new GmmuFault();
    private boolean busError;

    // The VM of the channel being served (set by [#use]).
    private long pdb;
    private int pdbAperture;

    VmIo(Gmmu gmmu, MemorySegment vram, DmaPort sysmem) {
        this.gmmu = gmmu;
        this.vram = vram;
        this.sysmem = sysmem;
    }

    /// Selects the channel VM and clears the failure state.
    void use(long pdb, int pdbAperture) {
        this.pdb = pdb;
        this.pdbAperture = pdbAperture;
        fault.clear();
        busError = false;
    }

    GmmuFault fault() {
        return fault;
    }

    boolean busError() {
        return busError;
    }

    MemorySegment vram() {
        return vram;
    }

    DmaPort sysmem() {
        return sysmem;
    }

    /// Translates `va` (packed [Gmmu] result) or returns [Gmmu#FAULT] with [#fault()] set.
    long translate(long va, boolean write) {
        return gmmu.translate(pdb, pdbAperture, va, write, fault);
    }

    /// Packed physical address of a PHYSICAL-mode access (`system`: system memory), checking
    /// VRAM bounds for `len` bytes; [Gmmu#FAULT] with [#busError()] set when outside VRAM.
    long physical(boolean system, long pa, long len) {
        if (!system && (pa < 0 || len > vram.byteSize() || pa > vram.byteSize() - len)) {
            busError = true;
            return Gmmu.FAULT;
        }
        return Gmmu.physical(system, pa);
    }

    /// Reads the 32-bit word at `va` (4-byte aligned), zero-extended, or [#FAILED].
    long read32(long va) {
        long pa = translate(va, false);
        if (pa == Gmmu.FAULT) {
            return FAILED;
        }
        if (!Gmmu.isSystem(pa)) {
            return vram.get(LE_INT, pa) & 0xFFFF_FFFFL;
        }
        long v = sysmem.readInt(Gmmu.address(pa));
        if (v == DmaPort.FAILED) {
            busError = true;
            return FAILED;
        }
        return v;
    }

    /// Reads the 64-bit word at `va` (8-byte aligned: never crosses a page), or [#FAILED] (an
    /// entry of all ones reads as a failure: callers treat that value as malformed anyway).
    long read64(long va) {
        long pa = translate(va, false);
        if (pa == Gmmu.FAULT) {
            return FAILED;
        }
        if (!Gmmu.isSystem(pa)) {
            return vram.get(LE_LONG, pa);
        }
        long lo = sysmem.readInt(Gmmu.address(pa));
        long hi = lo == DmaPort.FAILED ? DmaPort.FAILED : sysmem.readInt(Gmmu.address(pa) + 4);
        if (hi == DmaPort.FAILED) {
            busError = true;
            return FAILED;
        }
        return hi << 32 | lo;
    }

    /// Writes the 32-bit word at packed physical address `pa`; release store in VRAM.
    boolean write32(long pa, int value) {
        if (!Gmmu.isSystem(pa)) {
            INT_RELEASE.setRelease(vram, pa, value);
            return true;
        }
        // ORDERING: DmaPort stores are plain; the interrupt raised afterwards publishes them.
        if (!sysmem.writeInt(Gmmu.address(pa), value)) {
            busError = true;
            return false;
        }
        return true;
    }

    /// Writes the 64-bit word at packed physical address `pa` (plain store).
    boolean write64(long pa, long value) {
        if (!Gmmu.isSystem(pa)) {
            vram.set(LE_LONG, pa, value);
            return true;
        }
        if (!sysmem.writeLong(Gmmu.address(pa), value)) {
            busError = true;
            return false;
        }
        return true;
    }

    /// Checks that every page of `[addr, addr + len)` translates for `write` (virtual) or lies
    /// in VRAM (physical video memory), without touching a byte.
    boolean probe(long addr, long len, boolean physical, boolean system, boolean write) {
        if (len <= 0) {
            return true;
        }
        if (physical) {
            return physical(system, addr, len) != Gmmu.FAULT;
        }
        long end = addr + len;
        if (end < addr) {
            fault.record(addr, NvHostRegs.FAULT_TYPE_VA_LIMIT_VIOLATION, write
                    ? NvHostRegs.ACCESS_VIRT_WRITE : NvHostRegs.ACCESS_VIRT_READ);
            return false;
        }
        for (long p = addr; p < end; p = (p & ~(PAGE - 1)) + PAGE) {
            if (translate(p, write) == Gmmu.FAULT) {
                return false;
            }
        }
        return true;
    }

    /// Bytes from `addr` to the end of its 4 KiB page.
    static long toPageEnd(long addr) {
        return PAGE - (addr & (PAGE - 1));
    }
}
