package dev.gpuemu.regs.nvidia;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/// The firmware image format of gpuemu's falcons (GSP, SEC2): a header and a tiny scripted program
/// the modelled falcon interprets (high-level emulation: no falcon or RISC-V code runs).
/// Little-endian throughout. The driver DMAs the whole file (padded to 256 bytes) into IMEM,
/// points `BOOTVEC` at it and sets `CPUCTL.STARTCPU`; the falcon checks the header, then runs the
/// program. docs/devices/nvidia-ga102.md ("Falcons") documents the handshake.
///
/// ## Header ([#HEADER_SIZE] bytes)
/// | offset | field |
/// |---|---|
/// | 0x00 | u32 `magic` = [#MAGIC] (`"NVFW"`) |
/// | 0x04 | u16 `version` = [#VERSION], u16 `header_size` = [#HEADER_SIZE] |
/// | 0x08 | u32 `program_size`: bytes of the program (a non-zero multiple of 8) |
/// | 0x0C | u32 `program_crc32c`: CRC32C of the program bytes |
/// | 0x10 | u32 `falcon`: [#FALCON_ANY], [#FALCON_GSP] or [#FALCON_SEC2] |
/// | 0x14 | u32 `ucode_version` (informational) |
/// | 0x18 | 8 bytes MBZ |
///
/// ## Program
/// 8-byte instructions: u16 `opcode`, u16 `arg`, u32 `value`; see the `OP_*` constants. Each takes
/// [#INSTR_CYCLES] falcon cycles. The program must end with [#OP_HALT]; running off its end halts
/// with [#ERR_RUNAWAY].
///
/// ## Errors
/// A failed check or a bad instruction halts the falcon with the error code (`ERR_*`, all
/// `0xFA1Cxxxx`) in `MAILBOX0`; the model also counts a guest error. Nothing throws.
public final class FalconFwFormat {
    private FalconFwFormat() {
    }

    /// `'N' 'V' 'F' 'W'` as a little-endian u32.
    public static final int MAGIC = 0x5746_564E;
    public static final int VERSION = 1;
    public static final int HEADER_SIZE = 32;
    public static final int INSTR_SIZE = 8;
    /// Images are padded to a multiple of this (the DMA transfer size nova-core uses).
    public static final int FILE_ALIGN = 256;

    public static final int OFF_MAGIC = 0x00;
    public static final int OFF_VERSION = 0x04;
    public static final int OFF_HEADER_SIZE = 0x06;
    public static final int OFF_PROGRAM_SIZE = 0x08;
    public static final int OFF_PROGRAM_CRC = 0x0C;
    public static final int OFF_FALCON = 0x10;
    public static final int OFF_UCODE_VERSION = 0x14;

    public static final int FALCON_ANY = 0;
    public static final int FALCON_GSP = 1;
    public static final int FALCON_SEC2 = 2;

    /// Falcon cycles per instruction.
    public static final int INSTR_CYCLES = 16;
    /// Falcon cycles between two polls of [#OP_MBOX0_WAIT].
    public static final int WAIT_POLL_CYCLES = 1024;

    /// Halt; `MAILBOX0` keeps what the program last wrote.
    public static final int OP_HALT = 0;
    /// `MAILBOX0 = value`.
    public static final int OP_MBOX0_SET = 1;
    /// `MAILBOX1 = value`.
    public static final int OP_MBOX1_SET = 2;
    /// Wait until the host writes `value` to `MAILBOX0`.
    public static final int OP_MBOX0_WAIT = 3;
    /// `NV_PBUS_SW_SCRATCH[arg] |= value` (arg < 64).
    public static final int OP_SCRATCH_OR = 4;
    /// Spend `value` falcon cycles.
    public static final int OP_DELAY = 5;
    /// `MAILBOX1 = MAILBOX0 ^ value` (answers a host nonce).
    public static final int OP_MBOX1_XOR_MBOX0 = 6;
    /// `IRQSTAT |= value` (e.g. [FalconRegs#IRQ_SWGEN0]).
    public static final int OP_IRQ = 7;
    /// Number of opcodes.
    public static final int OP_COUNT = 8;

    public static final int ERR_BAD_MAGIC = 0xFA1C_0001;
    public static final int ERR_BAD_VERSION = 0xFA1C_0002;
    public static final int ERR_BAD_SIZE = 0xFA1C_0003;
    public static final int ERR_BAD_CHECKSUM = 0xFA1C_0004;
    public static final int ERR_BAD_OPCODE = 0xFA1C_0005;
    public static final int ERR_BAD_BOOTVEC = 0xFA1C_0006;
    public static final int ERR_WRONG_FALCON = 0xFA1C_0007;
    public static final int ERR_RUNAWAY = 0xFA1C_0008;
    public static final int ERR_BAD_OPERAND = 0xFA1C_0009;

    /// One instruction as the u64 the program stores (little-endian: opcode, arg, value).
    public static long instr(int opcode, int arg, int value) {
        return (opcode & 0xFFFFL) | (arg & 0xFFFFL) << 16 | Integer.toUnsignedLong(value) << 32;
    }

    public static int opcode(long instr) {
        return (int) (instr & 0xFFFF);
    }

    public static int arg(long instr) {
        return (int) ((instr >>> 16) & 0xFFFF);
    }

    public static int value(long instr) {
        return (int) (instr >>> 32);
    }

    /// A complete image (header + program, padded with zeros to [#FILE_ALIGN]).
    public static byte[] image(int falcon, int ucodeVersion, long... program) {
        int programSize = program.length * INSTR_SIZE;
        int size = (HEADER_SIZE + programSize + FILE_ALIGN - 1) / FILE_ALIGN * FILE_ALIGN;
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.position(HEADER_SIZE);
        for (long i : program) {
            b.putLong(i);
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), HEADER_SIZE, programSize);
        b.putInt(OFF_MAGIC, MAGIC).putShort(OFF_VERSION, (short) VERSION).putShort(OFF_HEADER_SIZE, (short) HEADER_SIZE)
                .putInt(OFF_PROGRAM_SIZE, programSize).putInt(OFF_PROGRAM_CRC, (int) crc.getValue())
                .putInt(OFF_FALCON, falcon).putInt(OFF_UCODE_VERSION, ucodeVersion);
        return b.array();
    }

    /// Checks the image whose header starts at `offset` of `mem` (a falcon's IMEM) for falcon
    /// `falcon`. Returns 0 when it is well formed, else the `ERR_*` code the falcon halts with.
    public static int check(MemorySegment mem, long offset, int falcon) {
        if (offset < 0 || offset > mem.byteSize() - HEADER_SIZE) {
            return ERR_BAD_BOOTVEC;
        }
        if (mem.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), offset + OFF_MAGIC) != MAGIC) {
            return ERR_BAD_MAGIC;
        }
        int version = Short.toUnsignedInt(mem.get(LE_SHORT, offset + OFF_VERSION));
        int headerSize = Short.toUnsignedInt(mem.get(LE_SHORT, offset + OFF_HEADER_SIZE));
        if (version != VERSION || headerSize != HEADER_SIZE) {
            return ERR_BAD_VERSION;
        }
        int size = mem.get(LE_INT, offset + OFF_PROGRAM_SIZE);
        if (size <= 0 || size % INSTR_SIZE != 0 || size > mem.byteSize() - offset - HEADER_SIZE) {
            return ERR_BAD_SIZE;
        }
        int target = mem.get(LE_INT, offset + OFF_FALCON);
        if (target != FALCON_ANY && target != falcon) {
            return ERR_WRONG_FALCON;
        }
        CRC32C crc = new CRC32C();
        crc.update(mem.asSlice(offset + HEADER_SIZE, size).asByteBuffer());
        return (int) crc.getValue() == mem.get(LE_INT, offset + OFF_PROGRAM_CRC) ? 0 : ERR_BAD_CHECKSUM;
    }

    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    // --- the handshake of the images gpuemu ships (tools.nvfw) ---

    /// The version string in the shipped file names (`gsp-535.113.01.bin`).
    public static final String FW_VERSION = "535.113.01";
    /// `nvidia/<chip>/gsp/<name>-535.113.01.bin` for `name` in booter_load, gsp.
    public static String firmwareName(Chipset chipset, String name) {
        return chipset.firmwareDir() + "/gsp/" + name + "-" + FW_VERSION + ".bin";
    }

    /// SEC2 (`booter_load`): `MAILBOX1 = nonce ^ BOOTER_SIGNATURE` where the driver put the nonce
    /// in `MAILBOX0` before starting it.
    public static final int BOOTER_SIGNATURE = 0xB007_E25C;
    /// GSP (`gsp`): `MAILBOX1 = nonce ^ GSP_SIGNATURE`.
    public static final int GSP_SIGNATURE = 0x6590_0E01;
    /// GSP writes this to `MAILBOX0` (and raises SWGEN0) when it waits for the driver's ack.
    public static final int GSP_READY = 0x600D_0001;
    /// The driver's ack the GSP waits for in `MAILBOX0`.
    public static final int GSP_ACK = 0xACC0_0001;
    /// `MAILBOX0` after a successful run.
    public static final int STATUS_OK = 0;
    /// The scratch register the shipped images mark themselves done in.
    public static final int DONE_SCRATCH_INDEX = 0x10;
    /// Bit set in `NV_PBUS_SW_SCRATCH[DONE_SCRATCH_INDEX]` by booter_load.
    public static final int DONE_SEC2 = 1;
    /// Bit set in `NV_PBUS_SW_SCRATCH[DONE_SCRATCH_INDEX]` by gsp.
    public static final int DONE_GSP = 2;
}
