package dev.gpuemu.regs.edu;

import dev.gpuemu.regs.Field;

/// Constants of the edu device (QEMU `docs/specs/edu.rst`) shared by the device model and its
/// driver: PCI identity, BAR layout, bit fields of [EduReg] registers, and interrupt bits.
///
/// Accesses below 0x80 must be 4 bytes wide; from 0x80, 4 or 8 bytes. The DMA buffer is a
/// device-side address window at [#DMA_BUFFER]; gpuemu also exposes it through BAR0 at the same
/// offset (QEMU answers all ones there).
public final class EduRegs {
    private EduRegs() {
    }

    public static final int VENDOR_ID = 0x1234;
    public static final int DEVICE_ID = 0x11E8;
    public static final int REVISION = 0x10;
    /// PCI class "unclassified device, other".
    public static final int CLASS_CODE = 0x00FF00;
    public static final long BAR0_SIZE = 1 << 20;

    /// Device-side DMA window (and BAR0 offset) of the 4 KiB buffer.
    public static final int DMA_BUFFER = 0x40000;
    public static final int DMA_BUFFER_SIZE = 4096;
    /// Address bits the device can master (QEMU's default `dma_mask`).
    public static final int DMA_MASK_BITS = 28;

    /// ID = `0xRRrr00ed`.
    public static final Field ID_MAJOR = new Field("MAJOR", 31, 24);
    public static final Field ID_MINOR = new Field("MINOR", 23, 16);
    public static final Field ID_MAGIC = new Field("MAGIC", 15, 0);
    public static final int ID_MAGIC_VALUE = 0x00ED;

    /// STATUS bit 0: a factorial is being computed (read-only).
    public static final Field STATUS_COMPUTING = Field.bit("COMPUTING", 0);
    /// STATUS bit 7: raise [#IRQ_FACTORIAL] when a factorial finishes.
    public static final Field STATUS_IRQ_ON_FACTORIAL = Field.bit("IRQ_ON_FACTORIAL", 7);

    /// DMA_CMD bit 0: start; the device clears it when the transfer is done.
    public static final Field DMA_CMD_START = Field.bit("START", 0);
    /// DMA_CMD bit 1: direction, 0 = RAM to device buffer, 1 = device buffer to RAM.
    public static final Field DMA_CMD_TO_RAM = Field.bit("TO_RAM", 1);
    /// DMA_CMD bit 2: raise [#IRQ_DMA] when done.
    public static final Field DMA_CMD_IRQ = Field.bit("IRQ", 2);

    /// IRQ_STATUS bit raised when a factorial finishes.
    public static final int IRQ_FACTORIAL = 0x001;
    /// IRQ_STATUS bit raised when a DMA transfer finishes.
    public static final int IRQ_DMA = 0x100;
}
