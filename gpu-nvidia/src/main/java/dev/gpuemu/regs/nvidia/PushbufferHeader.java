package dev.gpuemu.regs.nvidia;

import dev.gpuemu.regs.Field;

/// Pushbuffer method headers of `AMPERE_CHANNEL_GPFIFO_A` (`clc56f.h`, `NVC56F_DMA_*`; format
/// documented as `NV_FIFO_DMA_*` in dev_ram). A header dword is followed by its data dwords:
///
/// | `SEC_OP[31:29]` | name | data dwords | method of data dword i |
/// |---|---|---|---|
/// | 1 | INC_METHOD | `COUNT` | `ADDRESS + i` |
/// | 3 | NON_INC_METHOD | `COUNT` | `ADDRESS` |
/// | 4 | IMMD_DATA_METHOD | 0 (data is `[28:16]`) | `ADDRESS` |
/// | 5 | ONE_INC | `COUNT` | `ADDRESS`, then `ADDRESS + 1` for the rest |
/// | 7 | END_PB_SEGMENT | 0 | ends the segment |
/// | 0 | GRP0 (`TERT_OP[17:16]`: 1..3 sub-device mask ops, ignored; header 0 is a NOP) | 0 | - |
///
/// `ADDRESS[11:0]` is the method's byte offset divided by 4, `SUBCHANNEL[15:13]`,
/// `COUNT[28:16]`. Legacy formats (`SEC_OP` 0 with a count, 2, 6) are malformed in gpuemu.
public final class PushbufferHeader {
    public static final Field ADDRESS = new Field("ADDRESS", 11, 0);
    public static final Field SUBCHANNEL = new Field("SUBCHANNEL", 15, 13);
    public static final Field TERT_OP = new Field("TERT_OP", 17, 16);
    public static final Field COUNT = new Field("COUNT", 28, 16);
    public static final Field IMMD_DATA = new Field("IMMD_DATA", 28, 16);
    public static final Field SEC_OP = new Field("SEC_OP", 31, 29);

    public static final int SEC_OP_GRP0_USE_TERT = 0;
    public static final int SEC_OP_INC_METHOD = 1;
    public static final int SEC_OP_GRP2_USE_TERT = 2;
    public static final int SEC_OP_NON_INC_METHOD = 3;
    public static final int SEC_OP_IMMD_DATA_METHOD = 4;
    public static final int SEC_OP_ONE_INC = 5;
    public static final int SEC_OP_RESERVED6 = 6;
    public static final int SEC_OP_END_PB_SEGMENT = 7;

    /// The NOP header.
    public static final int NOP = 0;
    /// Largest data count of one header (13 bits).
    public static final int MAX_COUNT = (1 << 13) - 1;
    /// Largest immediate datum (13 bits).
    public static final int MAX_IMMEDIATE = (1 << 13) - 1;
    /// Number of subchannels.
    public static final int SUBCHANNELS = 8;

    private PushbufferHeader() {
    }

    /// Incrementing header: `count` data dwords to methods `method`, `method + 4`, ...
    ///
    /// @param method byte offset of the first method (dword aligned, below 0x4000)
    public static int incrementing(int subchannel, int method, int count) {
        return header(SEC_OP_INC_METHOD, subchannel, method, count);
    }

    /// Non-incrementing header: `count` data dwords all to `method`.
    public static int nonIncrementing(int subchannel, int method, int count) {
        return header(SEC_OP_NON_INC_METHOD, subchannel, method, count);
    }

    /// Increment-once header: first datum to `method`, the rest to `method + 4`.
    public static int oneIncrement(int subchannel, int method, int count) {
        return header(SEC_OP_ONE_INC, subchannel, method, count);
    }

    /// Immediate-data header: `data` (13 bits) to `method`, no data dwords follow.
    public static int immediate(int subchannel, int method, int data) {
        return header(SEC_OP_IMMD_DATA_METHOD, subchannel, method, data);
    }

    /// The end-of-segment header.
    public static int endSegment() {
        return SEC_OP_END_PB_SEGMENT << 29;
    }

    /// The operation of `header`.
    public static int secOp(int header) {
        return header >>> 29;
    }

    /// The method byte offset of `header`.
    public static int method(int header) {
        return (header & 0xFFF) << 2;
    }

    public static int subchannel(int header) {
        return (header >>> 13) & 7;
    }

    /// The count (or, for IMMD_DATA_METHOD, the immediate datum).
    public static int count(int header) {
        return (header >>> 16) & 0x1FFF;
    }

    public static int tertOp(int header) {
        return (header >>> 16) & 3;
    }

    private static int header(int secOp, int subchannel, int method, int count) {
        if (subchannel < 0 || subchannel >= SUBCHANNELS) {
            throw new IllegalArgumentException("subchannel " + subchannel);
        }
        if ((method & 3) != 0 || method < 0 || method >= 0x4000) {
            throw new IllegalArgumentException("method 0x" + Integer.toHexString(method));
        }
        if (count < 0 || count > MAX_COUNT) {
            throw new IllegalArgumentException("count " + count);
        }
        return secOp << 29 | count << 16 | subchannel << 13 | method >>> 2;
    }
}
