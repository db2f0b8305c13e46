package dev.gpuemu.kernel.drivers.tyr;

import dev.gpuemu.kernel.io.IoMem;
import dev.gpuemu.regs.mali.MaliReg;

/// Register accessors over the bound MMIO mapping: 32-bit registers and the `_LO`/`_HI` pairs of
/// 64-bit ones (read low then high, as panthor's `gpu_read64`; the model latches nothing, so a
/// torn read is only possible for counters, which [#read64Counter] rereads).
///
/// ## Thread safety
/// Stateless.
public final class GpuRegs {
    private GpuRegs() {
    }

    public static int read32(IoMem io, MaliReg reg) {
        return io.read32(reg.offset());
    }

    public static void write32(IoMem io, MaliReg reg, int value) {
        io.write32(reg.offset(), value);
    }

    /// A 64-bit register as two 32-bit reads (low, then high).
    public static long read64(IoMem io, MaliReg reg) {
        long lo = io.read32(reg.offset()) & 0xFFFF_FFFFL;
        long hi = io.read32(reg.offset() + 4) & 0xFFFF_FFFFL;
        return hi << 32 | lo;
    }

    /// A 64-bit register as two 32-bit writes (low, then high).
    public static void write64(IoMem io, MaliReg reg, long value) {
        io.write32(reg.offset(), (int) value);
        io.write32(reg.offset() + 4, (int) (value >>> 32));
    }

    /// A 64-bit register at `offset` as two 32-bit reads (low, then high).
    public static long read64(IoMem io, long offset) {
        long lo = io.read32(offset) & 0xFFFF_FFFFL;
        long hi = io.read32(offset + 4) & 0xFFFF_FFFFL;
        return hi << 32 | lo;
    }

    /// A 64-bit register at `offset` as two 32-bit writes (low, then high).
    public static void write64(IoMem io, long offset, long value) {
        io.write32(offset, (int) value);
        io.write32(offset + 4, (int) (value >>> 32));
    }

    /// A free-running 64-bit counter (`gpu_read64_counter`): high, low, high again until stable.
    public static long read64Counter(IoMem io, MaliReg reg) {
        while (true) {
            int hi1 = io.read32(reg.offset() + 4);
            int lo = io.read32(reg.offset());
            int hi2 = io.read32(reg.offset() + 4);
            if (hi1 == hi2) {
                return (long) hi1 << 32 | (lo & 0xFFFF_FFFFL);
            }
        }
    }
}
