package dev.gpuemu.hw.mali.csf;

import dev.gpuemu.hw.mali.GpuMemory;
import dev.gpuemu.regs.mali.MaliAsReg;
import dev.gpuemu.regs.mali.MaliException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.function.IntUnaryOperator;

/// Word access to GPU virtual memory through [GpuMemory]: translate, then read or write the
/// physical segment. A failed access leaves the fault in [#faultVa()] / [#faultType()] and
/// answers 0 (reads) or false (writes); callers check [#ok()] and report the fault as their
/// own exception (`MCU_STATUS = FATAL`, `CS_FATAL`). Nothing is thrown for guest mistakes.
///
/// Accesses are naturally aligned words, so a word never crosses a page; a misaligned address
/// is a fault of type `DATA_INVALID_FAULT`.
///
/// ## Thread safety
/// Not thread-safe: one instance per [MaliCsf], used on the clock thread under the device lock.
final class VmIo {
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final long PAGE = 4096;

    /// Source id written into `AS_FAULTSTATUS[31:16]` for CSF accesses.
    static final int SOURCE_CSF = 0x1;

    private final GpuMemory mem;
    private final IntUnaryOperator faultStatus;
    private boolean ok = true;
    private long faultVa;
    private int faultType;

    VmIo(GpuMemory mem, IntUnaryOperator faultStatus) {
        this.mem = mem;
        this.faultStatus = faultStatus;
    }

    /// Clears the fault state before a sequence of accesses.
    void begin() {
        ok = true;
        faultVa = 0;
        faultType = 0;
    }

    boolean ok() {
        return ok;
    }

    long faultVa() {
        return faultVa;
    }

    int faultType() {
        return faultType;
    }

    /// Records a fault found by the caller (e.g. a misaligned job argument).
    void fail(long va, MaliException type) {
        if (ok) {
            ok = false;
            faultVa = va;
            faultType = type.code();
        }
    }

    /// The physical address of `va`, or [GpuMemory#FAULT] after recording the fault.
    long translate(int as, long va, int access) {
        long pa = mem.translate(as, va, access, SOURCE_CSF);
        if (pa == GpuMemory.FAULT) {
            int type = faultStatus.applyAsInt(as) & 0xFF;
            if (ok) {
                ok = false;
                faultVa = va;
                faultType = type == 0 ? MaliException.TRANSLATION_FAULT_4.code() : type;
            }
            return GpuMemory.FAULT;
        }
        return pa;
    }

    /// A segment of `len` bytes at `va` (not crossing a page), or null after recording a fault.
    MemorySegment map(int as, long va, long len, int access) {
        if (!ok) {
            return null;
        }
        long pa = translate(as, va, access);
        if (pa == GpuMemory.FAULT) {
            return null;
        }
        MemorySegment seg = mem.physical(pa, len);
        if (seg == null) {
            fail(va, MaliException.GPU_BUS_FAULT);
        }
        return seg;
    }

    int read32(int as, long va) {
        if ((va & 3) != 0) {
            fail(va, MaliException.DATA_INVALID_FAULT);
            return 0;
        }
        MemorySegment s = map(as, va, 4, MaliAsReg.ACCESS_READ);
        return s == null ? 0 : s.get(U32, 0);
    }

    long read64(int as, long va) {
        if ((va & 7) != 0) {
            fail(va, MaliException.DATA_INVALID_FAULT);
            return 0;
        }
        MemorySegment s = map(as, va, 8, MaliAsReg.ACCESS_READ);
        return s == null ? 0 : s.get(U64, 0);
    }

    boolean write32(int as, long va, int value) {
        if ((va & 3) != 0) {
            fail(va, MaliException.DATA_INVALID_FAULT);
            return false;
        }
        MemorySegment s = map(as, va, 4, MaliAsReg.ACCESS_WRITE);
        if (s == null) {
            return false;
        }
        s.set(U32, 0, value);
        return true;
    }

    boolean write64(int as, long va, long value) {
        if ((va & 7) != 0) {
            fail(va, MaliException.DATA_INVALID_FAULT);
            return false;
        }
        MemorySegment s = map(as, va, 8, MaliAsReg.ACCESS_WRITE);
        if (s == null) {
            return false;
        }
        s.set(U64, 0, value);
        return true;
    }

    /// Translates every page of `[va, va + len)` for `access` and checks it is RAM, without
    /// touching a byte; false (fault recorded at the first failing page) if any page faults.
    boolean probe(int as, long va, long len, int access) {
        if (len <= 0 || !ok) {
            return ok;
        }
        long end = va + len;
        if (end < va) {
            fail(va, MaliException.ADDR_RANGE_FAULT);
            return false;
        }
        for (long p = va; p < end; p = (p & ~(PAGE - 1)) + PAGE) {
            long pa = translate(as, p, access);
            if (pa == GpuMemory.FAULT) {
                return false;
            }
            if (mem.physical(pa, 1) == null) {
                fail(p, MaliException.GPU_BUS_FAULT);
                return false;
            }
        }
        return true;
    }

    /// Bytes from `va` to the end of its page.
    static long toPageEnd(long va) {
        return PAGE - (va & (PAGE - 1));
    }
}
