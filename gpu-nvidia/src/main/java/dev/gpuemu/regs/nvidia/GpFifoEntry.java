package dev.gpuemu.regs.nvidia;

import dev.gpuemu.regs.Field;

/// One GPFIFO entry of `AMPERE_CHANNEL_GPFIFO_A` (`clc56f.h`, `NVC56F_GP_ENTRY*`): 8 bytes,
/// little-endian, two 32-bit words. `ENTRY0[31:2]` and `ENTRY1[7:0]` give the 40-bit GPU VA of a
/// pushbuffer segment (dword aligned), `ENTRY1[30:10]` its length in dwords. A length of 0 makes
/// the entry a control entry whose `ENTRY1[7:0]` is an `OPCODE` (only NOP is modelled).
///
/// Everything here is pure bit arithmetic on the 64-bit value `ENTRY0 | ENTRY1 << 32`.
public final class GpFifoEntry {
    /// Bytes per entry.
    public static final int SIZE = 8;

    /// `ENTRY0[0]`: conditional fetch (treated as unconditional by gpuemu).
    public static final Field FETCH = Field.bit("FETCH", 0);
    /// `ENTRY0[31:2]`: segment address bits 31:2.
    public static final Field GET = new Field("GET", 31, 2);
    /// `ENTRY1[7:0]` (bits 39:32 of the entry): segment address bits 39:32.
    public static final Field GET_HI = new Field("GET_HI", 39, 32);
    /// `ENTRY1[9]`: 0 main, 1 subroutine (subroutines are not modelled: bad entry).
    public static final Field LEVEL = Field.bit("LEVEL", 41);
    /// `ENTRY1[30:10]`: segment length in dwords.
    public static final Field LENGTH = new Field("LENGTH", 62, 42);
    /// `ENTRY1[31]`: 1 wait for the previous segment's work (always true in gpuemu's in-order host).
    public static final Field SYNC = Field.bit("SYNC", 63);
    /// `ENTRY1[7:0]` of a control entry (length 0).
    public static final Field OPCODE = new Field("OPCODE", 39, 32);

    public static final int OPCODE_NOP = 0;
    public static final int OPCODE_ILLEGAL = 1;
    public static final int OPCODE_GP_CRC = 2;
    public static final int OPCODE_PB_CRC = 3;

    /// Largest segment length in dwords (21 bits).
    public static final int MAX_LENGTH = (1 << 21) - 1;
    /// Segment addresses are below 2^40.
    public static final long MAX_ADDRESS = (1L << 40) - 1;

    private GpFifoEntry() {
    }

    /// An entry pointing at `lengthDwords` dwords of pushbuffer at GPU VA `va` (main level, no sync).
    ///
    /// @throws IllegalArgumentException if `va` is not dword aligned or above 2^40, or the length is
    ///     outside 1..[#MAX_LENGTH]
    public static long encode(long va, int lengthDwords) {
        if ((va & 3) != 0 || va < 0 || va > MAX_ADDRESS) {
            throw new IllegalArgumentException("pushbuffer VA 0x" + Long.toHexString(va));
        }
        if (lengthDwords < 1 || lengthDwords > MAX_LENGTH) {
            throw new IllegalArgumentException("length " + lengthDwords);
        }
        return (va & 0xFFFF_FFFCL) | (va >>> 32) << 32 | (long) lengthDwords << 42;
    }

    /// A control entry (length 0) with `opcode`.
    public static long control(int opcode) {
        return OPCODE.with(0, opcode);
    }

    /// The segment's GPU VA.
    public static long address(long entry) {
        return (entry & 0xFFFF_FFFCL) | (GET_HI.get(entry) << 32);
    }

    /// The segment's length in dwords (0: control entry).
    public static int length(long entry) {
        return (int) LENGTH.get(entry);
    }

    /// Whether the entry names a subroutine segment.
    public static boolean isSubroutine(long entry) {
        return LEVEL.isSet(entry);
    }

    /// The low word (`ENTRY0`).
    public static int entry0(long entry) {
        return (int) entry;
    }

    /// The high word (`ENTRY1`).
    public static int entry1(long entry) {
        return (int) (entry >>> 32);
    }
}
