package dev.gpuemu.regs.nvidia;

import dev.gpuemu.regs.Field;

/// Fields and constants of the falcon registers ([FalconReg]) shared by the model's GSP and SEC2
/// falcons and nova-core's falcon loader (kernel-semantics §6.3 "Falcon regs").
public final class FalconRegs {
    private FalconRegs() {
    }

    /// Bytes of register space each falcon occupies in BAR0 (up to and including `RISCV_BCR_CTRL`).
    public static final int FALCON_BLOCK_SIZE = 0x2000;
    /// Bytes of instruction memory of each modelled falcon.
    public static final int IMEM_SIZE = 64 << 10;
    /// Bytes of data memory of each modelled falcon.
    public static final int DMEM_SIZE = 64 << 10;

    // --- IRQSTAT / IRQSCLR ---

    /// Interrupt bit set when the falcon halts.
    public static final int IRQ_HALT = 1 << 4;
    /// Software interrupt 0 (the firmware's "message to the host"; nova-core clears it at probe).
    public static final int IRQ_SWGEN0 = 1 << 6;
    /// Software interrupt 1.
    public static final int IRQ_SWGEN1 = 1 << 7;

    // --- HWCFG2 ---

    public static final Field HWCFG2_RISCV = Field.bit("RISCV", 10);
    /// 1 while IMEM/DMEM are being scrubbed after a reset, 0 when done.
    public static final Field HWCFG2_MEM_SCRUBBING = Field.bit("MEM_SCRUBBING", 12);
    public static final Field HWCFG2_RESET_READY = Field.bit("RESET_READY", 31);

    // --- HWCFG1 ---

    public static final Field HWCFG1_CORE_REV = new Field("CORE_REV", 3, 0);
    public static final Field HWCFG1_SECURITY_MODEL = new Field("SECURITY_MODEL", 5, 4);
    public static final Field HWCFG1_CORE_REV_SUBVERSION = new Field("CORE_REV_SUBVERSION", 7, 6);

    // --- CPUCTL / CPUCTL_ALIAS ---

    /// Write 1: start the CPU at `BOOTVEC` (self-clearing; ignored while running).
    public static final Field CPUCTL_STARTCPU = Field.bit("STARTCPU", 1);
    /// Read-only: the CPU halted (its program ended or failed).
    public static final Field CPUCTL_HALTED = Field.bit("HALTED", 4);
    /// When set, the driver starts the CPU through `CPUCTL_ALIAS` instead.
    public static final Field CPUCTL_ALIAS_EN = Field.bit("ALIAS_EN", 6);

    // --- DMACTL ---

    public static final Field DMACTL_REQUIRE_CTX = Field.bit("REQUIRE_CTX", 0);
    public static final Field DMACTL_DMEM_SCRUBBING = Field.bit("DMEM_SCRUBBING", 1);
    public static final Field DMACTL_IMEM_SCRUBBING = Field.bit("IMEM_SCRUBBING", 2);

    // --- DMA transfer ---

    /// `DMATRFBASE`: bus address bits 39:8 of the source.
    public static final Field DMATRFBASE_BASE = new Field("BASE", 31, 0);
    /// `DMATRFBASE1`: bus address bits 48:40 of the source.
    public static final Field DMATRFBASE1_BASE = new Field("BASE", 8, 0);
    /// `DMATRFMOFFS`: destination offset in IMEM or DMEM.
    public static final Field DMATRFMOFFS_OFFS = new Field("OFFS", 23, 0);
    /// `DMATRFFBOFFS`: source offset added to the base.
    public static final Field DMATRFFBOFFS_OFFS = new Field("OFFS", 31, 0);

    /// `DMATRFCMD` read-only: the DMA queue is full.
    public static final Field DMATRFCMD_FULL = Field.bit("FULL", 0);
    /// `DMATRFCMD` read-only: no transfer in flight.
    public static final Field DMATRFCMD_IDLE = Field.bit("IDLE", 1);
    public static final Field DMATRFCMD_SEC = new Field("SEC", 3, 2);
    /// 1: destination IMEM, 0: DMEM.
    public static final Field DMATRFCMD_IMEM = Field.bit("IMEM", 4);
    /// 1: falcon memory to external memory (not modelled: a guest error), 0: load.
    public static final Field DMATRFCMD_IS_WRITE = Field.bit("IS_WRITE", 5);
    /// Transfer size: `4 << SIZE` bytes; nova-core uses [#DMATRFCMD_SIZE_256B].
    public static final Field DMATRFCMD_SIZE = new Field("SIZE", 10, 8);
    /// Which `FBIF_TRANSCFG` entry describes the source memory.
    public static final Field DMATRFCMD_CTXDMA = new Field("CTXDMA", 14, 12);
    public static final Field DMATRFCMD_SET_DMTAG = Field.bit("SET_DMTAG", 16);
    /// `SIZE` value for 256-byte transfers.
    public static final int DMATRFCMD_SIZE_256B = 6;

    /// Bytes a `SIZE` field value moves.
    public static int dmaTransferBytes(int size) {
        return 4 << size;
    }

    /// A DMATRFCMD value loading 256 bytes into IMEM (`imem`) or DMEM through context `ctxDma`.
    public static int dmaLoadCommand(boolean imem, int ctxDma) {
        long v = DMATRFCMD_SIZE.with(0, DMATRFCMD_SIZE_256B);
        v = DMATRFCMD_IMEM.with(v, imem ? 1 : 0);
        return (int) DMATRFCMD_CTXDMA.with(v, ctxDma);
    }

    /// The DMATRFBASE value for source `addr` (`addr >> 8`).
    public static int dmaBase(long addr) {
        return (int) (addr >>> 8);
    }

    /// The DMATRFBASE1 value for source `addr` (`addr >> 40`, 9 bits).
    public static int dmaBase1(long addr) {
        return (int) (addr >>> 40) & 0x1FF;
    }

    // --- ENGINE ---

    /// `ENGINE` bit 0: hold the falcon in reset while set; clearing it starts memory scrubbing.
    public static final Field ENGINE_RESET = Field.bit("RESET", 0);

    // --- FBIF ---

    public static final int FBIF_TRANSCFG_COUNT = 8;
    public static final Field FBIF_TRANSCFG_TARGET = new Field("TARGET", 1, 0);
    /// 0: virtual (through the falcon's MMU context; not modelled), 1: physical.
    public static final Field FBIF_TRANSCFG_MEM_TYPE = Field.bit("MEM_TYPE", 2);
    public static final int FBIF_TARGET_LOCAL_FB = 0;
    public static final int FBIF_TARGET_COHERENT_SYSMEM = 1;
    public static final int FBIF_TARGET_NONCOHERENT_SYSMEM = 2;
    public static final int FBIF_MEM_TYPE_PHYSICAL = 1;
    public static final Field FBIF_CTL_ALLOW_PHYS_NO_CTX = Field.bit("ALLOW_PHYS_NO_CTX", 7);

    /// A `FBIF_TRANSCFG` value: physical accesses to `target`.
    public static int fbifPhysical(int target) {
        return (int) FBIF_TRANSCFG_MEM_TYPE.with(FBIF_TRANSCFG_TARGET.with(0, target), FBIF_MEM_TYPE_PHYSICAL);
    }

    // --- RISCV BCR ---

    /// `RISCV_BCR_CTRL` bit 0 (read-only): the core selection is valid.
    public static final Field BCR_CTRL_VALID = Field.bit("VALID", 0);
    /// 0: falcon core, 1: RISC-V core (only the falcon core is modelled).
    public static final Field BCR_CTRL_CORE_SELECT = Field.bit("CORE_SELECT", 4);
    public static final Field BCR_CTRL_BR_FETCH = Field.bit("BR_FETCH", 8);
}
