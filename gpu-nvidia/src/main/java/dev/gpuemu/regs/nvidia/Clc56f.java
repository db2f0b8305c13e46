package dev.gpuemu.regs.nvidia;

import dev.gpuemu.regs.Field;

/// Host (PBDMA) methods of `AMPERE_CHANNEL_GPFIFO_A` (class `0xC56F`, `clc56f.h`) that gpuemu
/// decodes. Methods below [#HOST_METHOD_LIMIT] go to the host on any subchannel; the rest go to the
/// class bound to the subchannel by [#SET_OBJECT].
///
/// Modelled: `SET_OBJECT`, `NOP`, `NON_STALL_INTERRUPT`, `MEM_OP_A..D` and `WFI` (accepted, no
/// effect: gpuemu has no TLB or caches and runs methods in order), `SET_REFERENCE` (ignored),
/// the `SEM_*` semaphore release (32- or 64-bit payload, optional timestamp). Semaphore acquire
/// and reductions are invalid methods in gpuemu.
public final class Clc56f {
    public static final int AMPERE_CHANNEL_GPFIFO_A = 0xC56F;

    /// Host methods are those with a byte offset below this.
    public static final int HOST_METHOD_LIMIT = 0x100;

    public static final int SET_OBJECT = 0x0000;
    public static final Field SET_OBJECT_NVCLASS = new Field("NVCLASS", 15, 0);
    public static final Field SET_OBJECT_ENGINE = new Field("ENGINE", 20, 16);
    public static final int ILLEGAL = 0x0004;
    public static final int NOP = 0x0008;
    public static final int NON_STALL_INTERRUPT = 0x0020;
    public static final int MEM_OP_A = 0x0028;
    public static final int MEM_OP_B = 0x002C;
    public static final int MEM_OP_C = 0x0030;
    public static final int MEM_OP_D = 0x0034;
    public static final int SET_REFERENCE = 0x0050;
    /// Semaphore address bits 31:2 (in `[31:2]`).
    public static final int SEM_ADDR_LO = 0x005C;
    /// Semaphore address bits 39:32 (in `[7:0]`).
    public static final int SEM_ADDR_HI = 0x0060;
    public static final int SEM_PAYLOAD_LO = 0x0064;
    public static final int SEM_PAYLOAD_HI = 0x0068;
    public static final int SEM_EXECUTE = 0x006C;
    public static final Field SEM_EXECUTE_OPERATION = new Field("OPERATION", 2, 0);
    public static final int SEM_EXECUTE_OPERATION_ACQUIRE = 0;
    public static final int SEM_EXECUTE_OPERATION_RELEASE = 1;
    public static final Field SEM_EXECUTE_RELEASE_WFI = Field.bit("RELEASE_WFI", 20);
    /// 0: 32-bit payload, 1: 64-bit payload.
    public static final Field SEM_EXECUTE_PAYLOAD_SIZE = Field.bit("PAYLOAD_SIZE", 24);
    /// 1: write the 64-bit ns timestamp at address + 8 after the payload.
    public static final Field SEM_EXECUTE_RELEASE_TIMESTAMP = Field.bit("RELEASE_TIMESTAMP", 25);
    public static final int WFI = 0x0078;

    private Clc56f() {
    }

    /// `SEM_EXECUTE` value for a release: `payload64` selects the 64-bit payload, `timestamp` the
    /// timestamp write.
    public static int semRelease(boolean payload64, boolean timestamp) {
        return SEM_EXECUTE_OPERATION_RELEASE | (payload64 ? 1 << 24 : 0) | (timestamp ? 1 << 25 : 0);
    }
}
