package dev.gpuemu.regs.nvidia;

import dev.gpuemu.regs.Field;

/// `AMPERE_DMA_COPY_A` (class `0xC6B5`), the Ampere copy engine's methods as in NVIDIA's
/// `clc6b5.h` (open-gpu-kernel-modules): byte offsets of the methods gpuemu models and their
/// fields. Offsets are the ones a pushbuffer header carries (`PushbufferHeader` divides by 4).
///
/// ## What gpuemu models
/// - `LAUNCH_DMA` with `SRC/DST_MEMORY_LAYOUT = PITCH` only: a block-linear layout is an invalid
///   launch (the channel stops with `ERROR_INVALID_LAUNCH`).
/// - 1D copies (`MULTI_LINE_ENABLE = FALSE`: `LINE_LENGTH_IN` bytes) and 2D copies
///   (`LINE_COUNT` lines of `LINE_LENGTH_IN` bytes, `PITCH_IN`/`PITCH_OUT` apart).
/// - `REMAP_ENABLE` with every written destination component a constant (`CONST_A`/`CONST_B`)
///   or `NO_WRITE`: a fill, `LINE_LENGTH_IN` counting elements of `NUM_DST_COMPONENTS x
///   COMPONENT_SIZE` bytes. Remaps reading source components are invalid launches.
/// - `SRC/DST_TYPE`: VIRTUAL (through the channel's GMMU VM) or PHYSICAL with the aperture of
///   `SET_SRC/DST_PHYS_MODE.TARGET` (LOCAL_FB, COHERENT/NONCOHERENT_SYSMEM; PEERMEM invalid).
/// - Semaphore release after the copy: ONE_WORD (payload, 4 bytes) or FOUR_WORD (payload, 0,
///   64-bit ns timestamp: 16 bytes); CONDITIONAL_INTR and `SEMAPHORE_REDUCTION_ENABLE` are
///   invalid launches. `INTERRUPT_TYPE` BLOCKING or NON_BLOCKING raises the non-stall interrupt
///   after the release (gpuemu does not stall the channel for BLOCKING).
/// - `FLUSH_ENABLE`, `FLUSH_TYPE`, `FORCE_RMWDISABLE`, `DISABLE_PLC`, `VPRMODE`: accepted, no
///   effect. `DATA_TRANSFER_TYPE = NONE`: no copy, only the semaphore and interrupt.
public final class Clc6b5 {
    public static final int AMPERE_DMA_COPY_A = 0xC6B5;

    public static final int NOP = 0x0100;
    public static final int PM_TRIGGER = 0x0140;
    /// Semaphore VA bits 48:32 (`UPPER[16:0]`).
    public static final int SET_SEMAPHORE_A = 0x0240;
    /// Semaphore VA bits 31:0.
    public static final int SET_SEMAPHORE_B = 0x0244;
    public static final int SET_SEMAPHORE_PAYLOAD = 0x0248;
    public static final int SET_SRC_PHYS_MODE = 0x0260;
    public static final int SET_DST_PHYS_MODE = 0x0264;
    public static final Field PHYS_MODE_TARGET = new Field("TARGET", 1, 0);
    public static final int PHYS_MODE_TARGET_LOCAL_FB = 0;
    public static final int PHYS_MODE_TARGET_COHERENT_SYSMEM = 1;
    public static final int PHYS_MODE_TARGET_NONCOHERENT_SYSMEM = 2;
    public static final int PHYS_MODE_TARGET_PEERMEM = 3;
    public static final int LAUNCH_DMA = 0x0300;
    public static final int OFFSET_IN_UPPER = 0x0400;
    public static final int OFFSET_IN_LOWER = 0x0404;
    public static final int OFFSET_OUT_UPPER = 0x0408;
    public static final int OFFSET_OUT_LOWER = 0x040C;
    public static final int PITCH_IN = 0x0410;
    public static final int PITCH_OUT = 0x0414;
    public static final int LINE_LENGTH_IN = 0x0418;
    public static final int LINE_COUNT = 0x041C;
    public static final int SET_REMAP_CONST_A = 0x0700;
    public static final int SET_REMAP_CONST_B = 0x0704;
    public static final int SET_REMAP_COMPONENTS = 0x0708;
    public static final int PM_TRIGGER_END = 0x1114;

    /// `*_UPPER` methods carry address bits 48:32 in `[16:0]`.
    public static final Field UPPER = new Field("UPPER", 16, 0);

    // LAUNCH_DMA fields.
    public static final Field DATA_TRANSFER_TYPE = new Field("DATA_TRANSFER_TYPE", 1, 0);
    public static final int DATA_TRANSFER_TYPE_NONE = 0;
    public static final int DATA_TRANSFER_TYPE_PIPELINED = 1;
    public static final int DATA_TRANSFER_TYPE_NON_PIPELINED = 2;
    public static final Field FLUSH_ENABLE = Field.bit("FLUSH_ENABLE", 2);
    public static final Field SEMAPHORE_TYPE = new Field("SEMAPHORE_TYPE", 4, 3);
    public static final int SEMAPHORE_TYPE_NONE = 0;
    public static final int SEMAPHORE_TYPE_RELEASE_ONE_WORD_SEMAPHORE = 1;
    public static final int SEMAPHORE_TYPE_RELEASE_FOUR_WORD_SEMAPHORE = 2;
    public static final int SEMAPHORE_TYPE_RELEASE_CONDITIONAL_INTR_SEMAPHORE = 3;
    public static final Field INTERRUPT_TYPE = new Field("INTERRUPT_TYPE", 6, 5);
    public static final int INTERRUPT_TYPE_NONE = 0;
    public static final int INTERRUPT_TYPE_BLOCKING = 1;
    public static final int INTERRUPT_TYPE_NON_BLOCKING = 2;
    public static final Field SRC_MEMORY_LAYOUT = Field.bit("SRC_MEMORY_LAYOUT", 7);
    public static final Field DST_MEMORY_LAYOUT = Field.bit("DST_MEMORY_LAYOUT", 8);
    public static final int MEMORY_LAYOUT_BLOCKLINEAR = 0;
    public static final int MEMORY_LAYOUT_PITCH = 1;
    public static final Field MULTI_LINE_ENABLE = Field.bit("MULTI_LINE_ENABLE", 9);
    public static final Field REMAP_ENABLE = Field.bit("REMAP_ENABLE", 10);
    public static final Field FORCE_RMWDISABLE = Field.bit("FORCE_RMWDISABLE", 11);
    public static final Field SRC_TYPE = Field.bit("SRC_TYPE", 12);
    public static final Field DST_TYPE = Field.bit("DST_TYPE", 13);
    public static final int TYPE_VIRTUAL = 0;
    public static final int TYPE_PHYSICAL = 1;
    public static final Field SEMAPHORE_REDUCTION = new Field("SEMAPHORE_REDUCTION", 17, 14);
    public static final Field SEMAPHORE_REDUCTION_SIGN = Field.bit("SEMAPHORE_REDUCTION_SIGN", 18);
    public static final Field SEMAPHORE_REDUCTION_ENABLE = Field.bit("SEMAPHORE_REDUCTION_ENABLE", 19);
    public static final Field VPRMODE = new Field("VPRMODE", 23, 22);
    public static final Field FLUSH_TYPE = Field.bit("FLUSH_TYPE", 25);
    public static final Field DISABLE_PLC = Field.bit("DISABLE_PLC", 26);

    // SET_REMAP_COMPONENTS fields.
    public static final Field REMAP_DST_X = new Field("DST_X", 2, 0);
    public static final Field REMAP_DST_Y = new Field("DST_Y", 6, 4);
    public static final Field REMAP_DST_Z = new Field("DST_Z", 10, 8);
    public static final Field REMAP_DST_W = new Field("DST_W", 14, 12);
    public static final int REMAP_SRC_X = 0;
    public static final int REMAP_SRC_Y = 1;
    public static final int REMAP_SRC_Z = 2;
    public static final int REMAP_SRC_W = 3;
    public static final int REMAP_CONST_A = 4;
    public static final int REMAP_CONST_B = 5;
    public static final int REMAP_NO_WRITE = 6;
    /// Component size minus one, in bytes (0..3 = 1..4 bytes).
    public static final Field REMAP_COMPONENT_SIZE = new Field("COMPONENT_SIZE", 17, 16);
    /// Number of source components minus one.
    public static final Field REMAP_NUM_SRC_COMPONENTS = new Field("NUM_SRC_COMPONENTS", 21, 20);
    /// Number of destination components minus one.
    public static final Field REMAP_NUM_DST_COMPONENTS = new Field("NUM_DST_COMPONENTS", 25, 24);

    private Clc6b5() {
    }

    /// `LAUNCH_DMA` for a pitch-to-pitch virtual copy: 2D when `multiLine`, with the given
    /// semaphore type and interrupt type, flush enabled, non-pipelined.
    public static int launchCopy(boolean multiLine, int semaphoreType, int interruptType) {
        return DATA_TRANSFER_TYPE_NON_PIPELINED | 1 << 2 | semaphoreType << 3 | interruptType << 5
                | MEMORY_LAYOUT_PITCH << 7 | MEMORY_LAYOUT_PITCH << 8 | (multiLine ? 1 << 9 : 0);
    }

    /// `LAUNCH_DMA` for a constant fill (remap enabled, destination pitch, virtual).
    public static int launchFill(boolean multiLine, int semaphoreType, int interruptType) {
        return launchCopy(multiLine, semaphoreType, interruptType) | 1 << 10;
    }

    /// `SET_REMAP_COMPONENTS` for a fill of elements of `components` (1..4) components of
    /// `componentBytes` (1..4) bytes each, alternating `CONST_A`, `CONST_B`, `CONST_A`, `CONST_B`.
    public static int remapFill(int components, int componentBytes) {
        if (components < 1 || components > 4 || componentBytes < 1 || componentBytes > 4) {
            throw new IllegalArgumentException(components + " x " + componentBytes);
        }
        int v = (componentBytes - 1) << 16 | (components - 1) << 20 | (components - 1) << 24;
        for (int c = 0; c < 4; c++) {
            int sel = c < components ? (c % 2 == 0 ? REMAP_CONST_A : REMAP_CONST_B) : REMAP_NO_WRITE;
            v |= sel << (4 * c);
        }
        return v;
    }
}
